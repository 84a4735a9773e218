package io.dotmac.notification.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.notification.client.SalesRestClient.Order;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard that keeps a welcome email from announcing a platform nobody paid for: asks
 * sales-service, which owns orders, whether the caller's tenant has an active order for the
 * customer organization, to the same address; then billing-service, which owns payments, whether
 * that order's quote is paid in full, in the order's total and currency ({@link PaidQuotes}). An
 * order stays active after its payment is refunded, so "active" alone is not enough. Both are
 * asked with the caller's token, and outside any database transaction: the caller runs this before
 * it records anything (or claims its Idempotency-Key).
 */
@ApplicationScoped
public class ActiveOrders {

    private static final String ACTIVE = "active";
    /** sales-service's largest page; an organization has one active order in practice. */
    private static final int PAGE = 100;

    private final SalesRestClient sales;
    private final PaidQuotes paidQuotes;
    private final JsonWebToken caller;

    ActiveOrders(@RestClient SalesRestClient sales, PaidQuotes paidQuotes, JsonWebToken caller) {
        this.sales = sales;
        this.paidQuotes = paidQuotes;
        this.caller = caller;
    }

    /**
     * Nothing if the organization has an active order for {@code customerEmail} whose quote is paid
     * in full; a 409 otherwise (which names the organization but not the address), a 503 if
     * sales-service or billing-service cannot be asked.
     */
    public Uni<Void> requireActive(String organizationSlug, String customerEmail) {
        String refusal = "No welcome email for '" + organizationSlug + "'";
        return sales.orders(ACTIVE, organizationSlug, PAGE, Downstream.bearer(caller))
                .onFailure().transform(e -> Downstream.failure("sales-service",
                        "reading the orders of organization " + organizationSlug, e))
                .chain(page -> {
                    List<Order> active = page.items() == null ? List.of() : page.items().stream().filter(order ->
                            ACTIVE.equals(order.status()) && organizationSlug.equals(order.organizationSlug())
                                    && customerEmail.equalsIgnoreCase(order.customerEmail())).toList();
                    if (active.isEmpty()) {
                        throw new Conflict(refusal + ": it has no active order to that address (an order "
                                + "becomes active once its quote is paid and provisioned)");
                    }
                    return paidOne(active, refusal);
                });
    }

    // One of the orders paid in full is enough; if none is, the last one's refusal stands. Billing
    // being unavailable is never a refusal: that 503 ends the check at once.
    private Uni<Void> paidOne(List<Order> orders, String refusal) {
        Uni<Void> check = paid(orders.get(0), refusal);
        for (Order next : orders.subList(1, orders.size())) {
            check = check.onFailure(ActiveOrders::isRefusal).recoverWithUni(() -> paid(next, refusal));
        }
        return check;
    }

    private Uni<Void> paid(Order order, String refusal) {
        if (order.quoteId() == null || order.quoteId().isBlank()) {
            return Uni.createFrom().failure(new Conflict(refusal + ": its active order " + order.id()
                    + " has no quote to be paid"));
        }
        return paidQuotes.requirePaid(order.quoteId(), order.totalAmount(), order.currency(), refusal).replaceWithVoid();
    }

    private static boolean isRefusal(Throwable e) {
        return e instanceof Conflict;
    }
}
