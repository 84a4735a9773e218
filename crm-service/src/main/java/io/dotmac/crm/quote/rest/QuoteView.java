package io.dotmac.crm.quote.rest;

import io.dotmac.crm.quote.QuoteItem;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A quote on the wire; amounts are JSON numbers with two decimals, status as of today. {@code kind}
 * is {@code new} or {@code change} (then {@code changes_quote_id} names the quote whose subscription it changes).
 * {@code cart_id} is the shop cart a quote was made from, null for others.
 */
public record QuoteView(UUID id, String quoteNumber, UUID leadId, String kind, UUID changesQuoteId,
                        @Schema(description = "The shop cart the quote was made from at checkout; null for quotes of leads taken in by hand",
                                nullable = true)
                        UUID cartId, String status, String currency, String billingCycle,
                        BigDecimal totalAmount, List<QuoteItem> items, String customerEmail, String customerName,
                        String companyName, String organizationSlug, String region, LocalDate validUntil,
                        OffsetDateTime sentAt, OffsetDateTime acceptedAt, String acceptedBy, OffsetDateTime rejectedAt,
                        String rejectionReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
