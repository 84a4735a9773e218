package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.CheckoutPage.amount;
import static io.dotmac.standin.stripe.CheckoutPage.escape;
import static io.dotmac.standin.stripe.CheckoutPage.page;
import static io.dotmac.standin.stripe.CheckoutPage.payOrDecline;

/**
 * An invoice's hosted page, where Stripe sends a customer whose renewal or seat change was
 * declined: what is owed (the invoice's amount due), for what, and while it is open two plain
 * forms, Pay and Decline. {@code data-testid}s as on the Checkout page: amount, product,
 * customer-email, status, message, pay-button, decline-button.
 */
final class InvoicePage {

    private InvoicePage() {
    }

    /** The page of the invoice; {@code message} (null: none) says what the last attempt did. */
    static String render(Invoice invoice, String message) {
        Subscription subscription = invoice.subscription;
        String status = invoice.status();
        String amount = amount(invoice.amountDue, subscription.currency);
        StringBuilder body = new StringBuilder()
                .append("<p class=\"test\">Test mode: a stand-in of Stripe's hosted invoice page. No card is charged.</p>\n")
                .append("<h1 data-testid=\"product\">")
                .append(escape(subscription.productName == null ? "Invoice " + invoice.id : subscription.productName)).append("</h1>\n")
                .append("<p class=\"amount\" data-testid=\"amount\">").append(escape(amount)).append("</p>\n");
        if (subscription.customerEmail != null) {
            body.append("<p>Billed to <span data-testid=\"customer-email\">").append(escape(subscription.customerEmail))
                    .append("</span></p>\n");
        }
        body.append("<p>Status: <span data-testid=\"status\">").append(status).append("</span></p>\n");
        String said = "paid".equals(status) ? "This invoice is paid. Thank you." : message;
        if (said != null) {
            body.append("<p class=\"message\" role=\"alert\" data-testid=\"message\">").append(escape(said)).append("</p>\n");
        }
        if ("open".equals(status)) {
            body.append(payOrDecline("/invoice/" + escape(invoice.id), amount));
        }
        return page("Invoice " + invoice.id, body.toString());
    }

    /** The page of an invoice nobody made. */
    static String notFound(String id) {
        return page("Not found", "<h1>Not found</h1>\n<p data-testid=\"message\">No such invoice: " + escape(id) + "</p>\n");
    }
}
