package io.dotmac.billing.subscription.mapping;

import io.dotmac.billing.subscription.CancelLinks;
import io.dotmac.billing.subscription.Subscription;
import io.dotmac.billing.subscription.SubscriptionChange;
import io.dotmac.billing.subscription.SubscriptionInvoice;
import io.dotmac.billing.subscription.rest.CancelLinkResponse;
import io.dotmac.billing.subscription.rest.InvoiceResponse;
import io.dotmac.billing.subscription.rest.SeatChangeResponse;
import io.dotmac.billing.subscription.rest.SubscriptionChangeRequest;
import io.dotmac.billing.subscription.rest.SubscriptionResponse;
import java.util.List;

/** API records from the subscription entities, at the edge. */
public final class SubscriptionMapper {

    private SubscriptionMapper() {
    }

    /** The subscription with its invoices; {@code invoices} null for a list's row. */
    public static SubscriptionResponse toResponse(Subscription subscription, List<SubscriptionInvoice> invoices) {
        return new SubscriptionResponse(subscription.id, subscription.quoteId, subscription.stripeSubscriptionId,
                subscription.stripeCustomerId, subscription.status, subscription.cancelAtPeriodEnd, subscription.currentPeriodStart,
                subscription.currentPeriodEnd, subscription.canceledAt, subscription.createdAt, subscription.updatedAt,
                invoices == null ? null : invoices.stream().map(invoice -> toInvoiceResponse(subscription, invoice)).toList());
    }

    public static InvoiceResponse toInvoiceResponse(Subscription subscription, SubscriptionInvoice invoice) {
        return new InvoiceResponse(invoice.id, subscription.id, subscription.quoteId, invoice.stripeInvoiceId, invoice.status,
                invoice.amountDue, invoice.amountPaid,
                invoice.currency, invoice.periodStart, invoice.periodEnd, invoice.hostedInvoiceUrl, invoice.billingReason,
                invoice.attemptCount, invoice.paidAt);
    }

    public static SeatChangeResponse toChangeResponse(SubscriptionChange change) {
        return new SeatChangeResponse(change.id, change.quoteId, change.subscriptionId, change.subscriptionQuoteId,
                change.stripeSubscriptionId, change.sequence, change.status, change.amount, change.currency, change.proratedAmount,
                change.creditedAmount, change.chargedAmount, change.stripeInvoiceId, change.createdAt, change.updatedAt);
    }

    /** The request's reason, trimmed; null when none is given. */
    public static String reasonOf(SubscriptionChangeRequest request) {
        return request == null || request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
    }

    public static CancelLinkResponse toLinkResponse(CancelLinks.Issued link) {
        return new CancelLinkResponse(link.url(), link.expiresAt());
    }
}
