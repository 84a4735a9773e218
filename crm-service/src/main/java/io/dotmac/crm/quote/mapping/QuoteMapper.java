package io.dotmac.crm.quote.mapping;

import io.dotmac.crm.quote.Cart;
import io.dotmac.crm.quote.Quote;
import io.dotmac.crm.quote.rest.QuoteFromCart;
import io.dotmac.crm.quote.rest.QuoteView;
import java.time.LocalDate;

/** Quotes into their API form, and a checked-out shop cart out of its. */
public final class QuoteMapper {

    private QuoteMapper() {
    }

    /** The quote with its status as of {@code today}: a sent quote past its validity shows as expired. */
    public static QuoteView toView(Quote q, LocalDate today) {
        return new QuoteView(q.id, q.quoteNumber, q.leadId, q.kind, q.changesQuoteId, q.cartId, q.statusOn(today).value(), q.currency, q.billingCycle,
                q.totalAmount, q.items, q.customerEmail, q.customerName, q.companyName, q.organizationSlug, q.region,
                q.validUntil, q.sentAt, q.acceptedAt, q.acceptedBy, q.rejectedAt, q.rejectionReason, q.createdAt,
                q.updatedAt);
    }

    /** The cart as checked out; a quantity is a whole number (its range is qualification's to check). */
    public static Cart toCart(QuoteFromCart body) {
        return new Cart(body.cartId(), body.customerName(), body.customerEmail(), body.companyName(), body.organizationSlug(),
                body.region(), body.billingCycle(), body.currency(),
                body.products().stream().map(line -> new Cart.Line(line.productCode(), line.quantity().intValueExact(),
                        line.unitPrice())).toList(),
                body.totalAmount());
    }
}
