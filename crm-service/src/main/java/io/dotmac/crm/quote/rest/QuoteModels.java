package io.dotmac.crm.quote.rest;

import io.dotmac.crm.quote.Quote;
import io.dotmac.crm.quote.QuoteItem;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The quote API's request and response bodies (snake_case on the wire). */
public final class QuoteModels {

    private QuoteModels() {
    }

    @Schema(description = "Who accepted the quote; the caller (the token's name) when not given", example = """
            {"accepted_by": "ada@example.net"}""")
    public record AcceptQuote(@Size(max = 200) String acceptedBy) {
    }

    @Schema(description = "Why the customer declined", example = """
            {"reason": "Chose another vendor"}""")
    public record RejectQuote(@NotBlank @Size(max = 2000) String reason) {
    }

    /** A quote on the wire; amounts are JSON numbers with two decimals, status as of today. */
    public record QuoteView(UUID id, String quoteNumber, UUID leadId, String status, String currency, String billingCycle,
                            BigDecimal totalAmount, List<QuoteItem> items, String customerEmail, String customerName,
                            String companyName, String organizationSlug, String region, LocalDate validUntil,
                            OffsetDateTime sentAt, OffsetDateTime acceptedAt, String acceptedBy, OffsetDateTime rejectedAt,
                            String rejectionReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        public static QuoteView of(Quote q, LocalDate today) {
            return new QuoteView(q.id, q.quoteNumber, q.leadId, q.statusOn(today).value(), q.currency, q.billingCycle,
                    q.totalAmount, q.items, q.customerEmail, q.customerName, q.companyName, q.organizationSlug, q.region,
                    q.validUntil, q.sentAt, q.acceptedAt, q.acceptedBy, q.rejectedAt, q.rejectionReason, q.createdAt,
                    q.updatedAt);
        }
    }
}
