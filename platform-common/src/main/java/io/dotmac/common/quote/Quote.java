package io.dotmac.common.quote;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.util.List;

/** A quote as crm-service serves it (GET /api/v1/crm/quotes/{id}): what the services that act on one read. */
@RegisterForReflection
public record Quote(String id, String quoteNumber, String leadId, String status, String currency, String billingCycle,
                    BigDecimal totalAmount, List<Item> items, String customerEmail, String customerName,
                    String companyName, String organizationSlug, String region, String kind, String changesQuoteId) {

    public static final String ACCEPTED = "accepted";
    /** The kind of a quote that changes the seats of the subscription another quote started. */
    public static final String CHANGE = "change";

    /** Whether it changes a subscription ({@code changesQuoteId}'s) rather than sells something new. */
    public boolean change() {
        return CHANGE.equals(kind);
    }

    /** The quote's number, or the id it was asked for by when it has none: how messages name it. */
    public String name(String requestedId) {
        return quoteNumber == null ? requestedId : quoteNumber;
    }

    /** A line of the quote: one product bought, in a quantity. */
    @RegisterForReflection
    public record Item(String productCode, String productName, Integer quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }
}
