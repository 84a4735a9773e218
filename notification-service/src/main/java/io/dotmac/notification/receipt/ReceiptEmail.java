package io.dotmac.notification.receipt;

import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.paymentrequest.PaymentRequestEmail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The receipt of a subscription's renewal: what the customer paid, for which period, and where
 * Stripe keeps the invoice; its subject, and its HTML and plain-text bodies rendered from the Qute
 * templates under {@code templates/ReceiptEmail/}. It says only what billing-service reported for
 * the invoice, which the notification recorded.
 */
@ApplicationScoped
public class ReceiptEmail implements NotificationEmail {

    // One wording for every reader, whatever their locale: "4 March 2031".
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    @CheckedTemplate
    static class Templates {
        /** {@code invoiceUrl} and {@code cancelUrl} may be null: the email then has no such link. */
        static native TemplateInstance html(String quoteId, String amount, String from, String until, String invoiceUrl,
                String cancelUrl);

        static native TemplateInstance text(String quoteId, String amount, String from, String until, String invoiceUrl,
                String cancelUrl);
    }

    /** "Your DotMac subscription is paid until 4 April 2031": what the invoice paid for, nothing billing did not say. */
    public static String subject(OffsetDateTime periodEnd) {
        return "Your DotMac subscription is paid until " + day(periodEnd);
    }

    @Override
    public String kind() {
        return Notification.RECEIPT;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(n.quoteId, PaymentRequestEmail.money(n.amount, n.currency), day(n.periodStart), day(n.periodEnd),
                n.invoiceUrl, n.cancelUrl);
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(n.quoteId, PaymentRequestEmail.money(n.amount, n.currency), day(n.periodStart), day(n.periodEnd),
                n.invoiceUrl, n.cancelUrl);
    }

    /** "4 March 2031", in UTC: how every email about an invoice writes the days of its period. */
    public static String day(OffsetDateTime time) {
        return DAY.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
