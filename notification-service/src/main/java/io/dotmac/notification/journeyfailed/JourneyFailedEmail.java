package io.dotmac.notification.journeyfailed;

import io.dotmac.common.payment.QuotePayment;
import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.paymentrequest.PaymentRequestEmail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The email that tells a customer whose journey failed for good that we could not set up their
 * platform, and what became of their money: refunded in full (the journey undid itself: order torn
 * down, licenses revoked, payment refunded), or never received (so nothing was set up). Its subject,
 * and its HTML and plain-text bodies rendered from the Qute templates under
 * {@code templates/JourneyFailedEmail/} (checked against these parameters at build time). It says
 * only what billing-service reported for the payment, which the notification recorded: a customer
 * told "refunded" must find the money back, so nothing here takes the caller's word.
 */
@ApplicationScoped
public class JourneyFailedEmail implements NotificationEmail {

    static final String COULD_NOT = "We could not set up your DotMac platform \u2014 ";

    // How billing-service starts the failure of a payment the customer never made; the email says
    // "not received" itself, and gives only the reason after it.
    private static final String NOT_RECEIVED = "payment not received:";

    @CheckedTemplate
    static class Templates {
        /** {@code reason} may be null: the email then gives none. */
        static native TemplateInstance html(String quoteId, String amount, boolean refunded, String reason);

        static native TemplateInstance text(String quoteId, String amount, boolean refunded, String reason);
    }

    /** The subject for a payment in this status: refunded, or (failed) not received. */
    public static String subject(String paymentStatus) {
        return COULD_NOT + (QuotePayment.REFUNDED.equals(paymentStatus)
                ? "your payment has been refunded" : "we did not receive your payment");
    }

    @Override
    public String kind() {
        return Notification.JOURNEY_FAILED;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(n.quoteId, PaymentRequestEmail.money(n.amount, n.currency), refunded(n), reason(n.failureMessage));
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(n.quoteId, PaymentRequestEmail.money(n.amount, n.currency), refunded(n), reason(n.failureMessage));
    }

    private static boolean refunded(Notification n) {
        return QuotePayment.REFUNDED.equals(n.paymentStatus);
    }

    /**
     * Why the payment was not received, as the customer reads it: billing's failure message without
     * its own "payment not received:" (e.g. "the checkout session expired unpaid"), or Stripe's as it
     * is ("Your card was declined."); null when there is none.
     */
    static String reason(String failureMessage) {
        if (failureMessage == null) {
            return null;
        }
        String reason = failureMessage.strip();
        if (reason.toLowerCase(Locale.ROOT).startsWith(NOT_RECEIVED)) {
            reason = reason.substring(NOT_RECEIVED.length()).strip();
        }
        return reason.isEmpty() ? null : reason;
    }
}
