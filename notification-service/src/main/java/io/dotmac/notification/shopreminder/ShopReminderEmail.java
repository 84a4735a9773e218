package io.dotmac.notification.shopreminder;

import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.paymentrequest.PaymentRequestEmail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * The one reminder of a shop checkout its visitor did not pay: the amount, the Stripe Checkout page
 * to pay on (and until when it is open), and the link back to their order at the shop; its subject,
 * and its HTML and plain-text bodies rendered from the Qute templates under
 * {@code templates/ShopReminderEmail/}. It says only what billing-service and sales-service
 * reported, which the notification recorded.
 */
@ApplicationScoped
public class ShopReminderEmail implements NotificationEmail {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance html(String customerName, String amount, String paymentUrl, String openUntil,
                String orderUrl);

        static native TemplateInstance text(String customerName, String amount, String paymentUrl, String openUntil,
                String orderUrl);
    }

    /** "Your DotMac order of USD 697.99 is waiting for payment". */
    public static String subject(BigDecimal amount, String currency) {
        return "Your DotMac order of " + PaymentRequestEmail.money(amount, currency) + " is waiting for payment";
    }

    @Override
    public String kind() {
        return Notification.SHOP_REMINDER;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(n.customerName, PaymentRequestEmail.money(n.amount, n.currency), n.paymentUrl,
                PaymentRequestEmail.until(n.paymentExpiresAt), n.orderUrl);
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(n.customerName, PaymentRequestEmail.money(n.amount, n.currency), n.paymentUrl,
                PaymentRequestEmail.until(n.paymentExpiresAt), n.orderUrl);
    }
}
