package io.dotmac.standin.stripe;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * The hosted page of a Checkout Session, as the customer (a person, a browser test, an HTTP
 * client) sees it: what is paid, by whom, and two plain forms, Pay and Decline, while the session
 * is open; what became of it otherwise. No script, no external asset; {@code data-testid}s name
 * what tests read: amount, product, customer-email, status, message, pay-button, decline-button.
 */
final class CheckoutPage {

    private CheckoutPage() {
    }

    /** The page of the session; {@code message} (null: none) says what the last attempt did. */
    static String render(CheckoutSession session, String message) {
        String status = session.status();
        String amount = amount(session.amountTotal, session.currency);
        StringBuilder body = new StringBuilder()
                .append("<p class=\"test\">Test mode: a stand-in of Stripe Checkout. No card is charged.</p>\n")
                .append("<h1 data-testid=\"product\">").append(escape(session.productName == null ? "Payment" : session.productName))
                .append("</h1>\n")
                .append("<p class=\"amount\" data-testid=\"amount\">").append(escape(amount)).append("</p>\n");
        if (session.customerEmail != null) {
            body.append("<p>Paid by <span data-testid=\"customer-email\">").append(escape(session.customerEmail)).append("</span></p>\n");
        }
        body.append("<p>Status: <span data-testid=\"status\">").append(status).append("</span></p>\n");
        String said = switch (status) {
            case "complete" -> "This payment is complete. Thank you.";
            case "expired" -> "This checkout session has expired: nothing was paid.";
            default -> message;
        };
        if (said != null) {
            body.append("<p class=\"message\" role=\"alert\" data-testid=\"message\">").append(escape(said)).append("</p>\n");
        }
        if ("open".equals(status)) {
            body.append(payOrDecline("/checkout/pay/" + escape(session.id), amount));
            if (session.cancelUrl != null) {
                body.append("<p><a data-testid=\"cancel-link\" href=\"").append(escape(session.cancelUrl)).append("\">Back</a></p>\n");
            }
        }
        return page("Pay " + amount, body.toString());
    }

    /** The two forms of an open page: Pay, posting to {@code <action>/pay}, and Decline, to {@code <action>/decline}. */
    static String payOrDecline(String action, String amount) {
        return "<form method=\"post\" action=\"" + action + "/pay\">"
                + "<button type=\"submit\" data-testid=\"pay-button\">Pay " + escape(amount) + "</button></form>\n"
                + "<form method=\"post\" action=\"" + action + "/decline\">"
                + "<button type=\"submit\" class=\"secondary\" data-testid=\"decline-button\">Decline (a declined card)</button>"
                + "</form>\n";
    }

    /** The page of a session nobody opened. */
    static String notFound(String id) {
        return page("Not found", "<h1>Not found</h1>\n<p data-testid=\"message\">No such checkout session: "
                + escape(id) + "</p>\n");
    }

    /** Minor units as the currency writes them: 12000 usd is "120.00 USD", 500 jpy "500 JPY". */
    static String amount(long minorUnits, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknown) {
            digits = 2;
        }
        return BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + code;
    }

    /** A page of the stand-in: its title, its body in the one style. */
    static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Stripe stand-in</title>
                <style>
                body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; }
                main { max-width: 28rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px;
                       box-shadow: 0 2px 8px rgba(0, 0, 0, .08); }
                .test { font-size: .8rem; color: #a35400; }
                .amount { font-size: 2rem; font-weight: 600; }
                .message { padding: .6rem; background: #fdecea; border-radius: 4px; }
                button { width: 100%%; margin-top: .8rem; padding: .8rem; font-size: 1rem; border: 0; border-radius: 4px;
                         background: #635bff; color: #fff; cursor: pointer; }
                button.secondary { background: #e3e8ee; color: #1a1f36; }
                </style>
                </head>
                <body>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(escape(title), body);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
