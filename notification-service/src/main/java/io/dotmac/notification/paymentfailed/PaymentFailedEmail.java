package io.dotmac.notification.paymentfailed;

import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.paymentrequest.PaymentRequestEmail;
import io.dotmac.notification.receipt.ReceiptEmail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * The dunning emails of a subscription's unpaid invoice, one for each {@link DunningStage}: the
 * payment did not go through, a reminder, the platform is suspended. Each gives the amount due, the
 * period it is for and a link to the invoice's page on Stripe, where the customer pays it; its
 * subject, and its HTML and plain-text bodies rendered from the Qute templates under
 * {@code templates/PaymentFailedEmail/}. It says only what billing-service reported for the
 * invoice, which the notification recorded.
 */
@ApplicationScoped
public class PaymentFailedEmail implements NotificationEmail {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance html(DunningStage stage, String quoteId, String amount, String from, String until,
                String invoiceUrl);

        static native TemplateInstance text(DunningStage stage, String quoteId, String amount, String from, String until,
                String invoiceUrl);
    }

    /** The subject at this stage of an invoice of {@code amount} due: "Reminder: your DotMac invoice of USD 99.00 is unpaid". */
    public static String subject(DunningStage stage, BigDecimal amount, String currency) {
        String money = PaymentRequestEmail.money(amount, currency);
        return switch (stage) {
            case FAILED -> "Your DotMac payment of " + money + " did not go through";
            case REMINDER -> "Reminder: your DotMac invoice of " + money + " is unpaid";
            case SUSPENDED -> "Your DotMac platform is suspended until " + money + " is paid";
        };
    }

    @Override
    public String kind() {
        return Notification.PAYMENT_FAILED;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(DunningStage.of(n.dunningStage), n.quoteId, PaymentRequestEmail.money(n.amount, n.currency),
                ReceiptEmail.day(n.periodStart), ReceiptEmail.day(n.periodEnd), n.invoiceUrl);
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(DunningStage.of(n.dunningStage), n.quoteId, PaymentRequestEmail.money(n.amount, n.currency),
                ReceiptEmail.day(n.periodStart), ReceiptEmail.day(n.periodEnd), n.invoiceUrl);
    }
}
