package io.dotmac.crm.quote.mapping;

import io.dotmac.crm.quote.Quote;
import io.dotmac.crm.quote.rest.QuoteView;
import java.time.LocalDate;

/** Quotes into their API form. */
public final class QuoteMapper {

    private QuoteMapper() {
    }

    /** The quote with its status as of {@code today}: a sent quote past its validity shows as expired. */
    public static QuoteView toView(Quote q, LocalDate today) {
        return new QuoteView(q.id, q.quoteNumber, q.leadId, q.kind, q.changesQuoteId, q.statusOn(today).value(), q.currency, q.billingCycle,
                q.totalAmount, q.items, q.customerEmail, q.customerName, q.companyName, q.organizationSlug, q.region,
                q.validUntil, q.sentAt, q.acceptedAt, q.acceptedBy, q.rejectedAt, q.rejectionReason, q.createdAt,
                q.updatedAt);
    }
}
