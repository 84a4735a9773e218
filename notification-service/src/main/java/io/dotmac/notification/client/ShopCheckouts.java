package io.dotmac.notification.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.payment.QuotePayment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard before reminding a shop visitor of a checkout they did not pay: asks sales-service,
 * which owns the checkout (is it still awaiting payment, which quote, where is its order page), then
 * billing-service, which owns the payment (still pending on a Checkout page open now), both with the
 * caller's token. Whom to remind, of how much and where to pay come from those answers: a caller
 * cannot have anyone asked to pay what is paid, nor sent anywhere else.
 */
@ApplicationScoped
public class ShopCheckouts {

    private static final String REFUSAL = "No shop reminder";
    private static final String AWAITING_PAYMENT = "awaiting_payment";

    /** What the reminder says: billing's payment, and the checkout's order page and customer at the shop. */
    public record Unpaid(QuotePayment payment, String orderUrl, String customerName) {
    }

    private final SalesShopRestClient sales;
    private final QuotePaymentEmails payments;
    private final JsonWebToken caller;

    ShopCheckouts(@RestClient SalesShopRestClient sales, QuotePaymentEmails payments, JsonWebToken caller) {
        this.sales = sales;
        this.payments = payments;
        this.caller = caller;
    }

    /**
     * The unpaid checkout of the cart; a 409 saying why not when sales has no such checkout, or it is
     * not awaiting payment, or has no order page, or billing's payment is not open; a 503 if either
     * service cannot be asked.
     */
    public Uni<Unpaid> requireUnpaid(String cartId) {
        String refusal = REFUSAL + " for cart " + cartId + ": ";
        return sales.checkout(cartId, Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> Downstream.failure("sales-service", "reading the checkout of cart " + cartId, e))
                .chain(checkout -> {
                    if (checkout == null) {
                        throw new Conflict(refusal + "sales-service has no checked-out cart " + cartId);
                    }
                    if (!AWAITING_PAYMENT.equals(checkout.status()) || checkout.quoteId() == null) {
                        throw new Conflict(refusal + "its checkout is " + checkout.status() + ", not awaiting payment");
                    }
                    if (checkout.orderUrl() == null || checkout.orderUrl().isBlank()) {
                        throw new Conflict(refusal + "sales-service has no order page to link to (SHOP_PUBLIC_URL is not set)");
                    }
                    return payments.requireOpenCheckout(checkout.quoteId(), REFUSAL)
                            .map(payment -> new Unpaid(payment, checkout.orderUrl(), checkout.customerName()));
                });
    }
}
