package io.dotmac.notification.paymentrequest;

import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/**
 * The email that asks the customer of an accepted quote to pay on its Stripe Checkout page: its
 * subject, and its HTML and plain-text bodies rendered from the Qute templates under
 * {@code templates/PaymentRequestEmail/} (checked against these parameters at build time). It says
 * only what billing-service reported for the payment, which the notification recorded.
 */
@ApplicationScoped
public class PaymentRequestEmail implements NotificationEmail {

    public static final String SUBJECT = "Your quote is accepted \u2014 pay here to start your platform";

    // One wording for every reader, whatever their locale: "4 March 2031, 05:06 UTC".
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", Locale.ENGLISH);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance html(String quoteId, String amount, String paymentUrl, String openUntil);

        static native TemplateInstance text(String quoteId, String amount, String paymentUrl, String openUntil);
    }

    @Override
    public String kind() {
        return Notification.PAYMENT_REQUEST;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(n.quoteId, money(n.amount, n.currency), n.paymentUrl, until(n.paymentExpiresAt));
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(n.quoteId, money(n.amount, n.currency), n.paymentUrl, until(n.paymentExpiresAt));
    }

    /**
     * "USD 1,299.00": the currency's code and the amount with its usual decimals (two where the
     * currency is unknown), never rounded: a payment of more decimals shows them all. Every email
     * about a payment writes its amount so.
     */
    public static String money(BigDecimal amount, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        int decimals = decimals(code);
        NumberFormat format = NumberFormat.getNumberInstance(Locale.ENGLISH);
        format.setMinimumFractionDigits(decimals);
        format.setMaximumFractionDigits(Math.max(decimals, amount.stripTrailingZeros().scale()));
        return code + " " + format.format(amount);
    }

    private static int decimals(String code) {
        try {
            int digits = Currency.getInstance(code).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }

    /** "4 March 2031, 05:06 UTC": when a checkout page closes, as every email asking to pay there says it. */
    public static String until(OffsetDateTime expiresAt) {
        return UNTIL.format(expiresAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
