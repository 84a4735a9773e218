package io.dotmac.billing.payment.mapping;

import io.dotmac.billing.payment.Money;
import io.dotmac.billing.payment.Payment;
import io.dotmac.billing.payment.PaymentTerms.Requested;
import io.dotmac.billing.payment.rest.PaymentResponse;
import io.dotmac.billing.payment.rest.ProcessPaymentRequest;
import io.dotmac.billing.payment.rest.RefundPaymentRequest;
import java.util.Locale;

/** API records to and from the payment entity, at the edge. */
public final class PaymentMapper {

    private PaymentMapper() {
    }

    /** The request, checked beyond Bean Validation: an exact amount, a currency in cents, where given. */
    public static Requested toRequested(ProcessPaymentRequest request) {
        String email = request.customerEmail() == null || request.customerEmail().isBlank()
                ? null : request.customerEmail().trim().toLowerCase(Locale.ROOT);
        return new Requested(request.quoteId().trim(), request.amount() == null ? null : Money.amount(request.amount()),
                request.currency() == null ? null : Money.currency(request.currency()), email);
    }

    /** The refund's reason, trimmed; null when there is no body or no reason, or only blanks. */
    public static String reasonOf(RefundPaymentRequest request) {
        return request == null || request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
    }

    public static PaymentResponse toResponse(Payment payment) {
        return new PaymentResponse(payment.id, payment.quoteId, payment.amount, payment.currency, payment.customerEmail,
                payment.status.value(), payment.billingInterval, payment.stripeCustomerId, payment.stripeSubscriptionId,
                payment.stripeInvoiceId, payment.stripePaymentIntentId, payment.failureMessage,
                payment.checkoutUrl, payment.checkoutExpiresAt, payment.createdAt, payment.updatedAt, payment.succeededAt,
                payment.refundedAt, payment.stripeRefundId, payment.refundReason);
    }
}
