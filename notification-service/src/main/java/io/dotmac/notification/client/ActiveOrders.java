package io.dotmac.notification.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard that keeps a welcome email from announcing a platform nobody paid for: asks
 * sales-service, which owns orders and activates one only once its quote is paid, whether the
 * caller's tenant has an active order for the customer organization, to the same address.
 */
@ApplicationScoped
public class ActiveOrders {

    private static final String ACTIVE = "active";
    /** sales-service's largest page; an organization has one active order in practice. */
    private static final int PAGE = 100;

    private final SalesRestClient sales;
    private final JsonWebToken caller;

    ActiveOrders(@RestClient SalesRestClient sales, JsonWebToken caller) {
        this.sales = sales;
        this.caller = caller;
    }

    /** Nothing if the organization has an active order for {@code customerEmail}; a 409 otherwise. */
    public Uni<Void> requireActive(String organizationSlug, String customerEmail) {
        return sales.orders(ACTIVE, organizationSlug, PAGE, Downstream.bearer(caller))
                .onFailure().transform(e -> Downstream.failure("sales-service",
                        "reading the orders of organization " + organizationSlug, e))
                .invoke(page -> {
                    boolean active = page.items() != null && page.items().stream().anyMatch(order ->
                            ACTIVE.equals(order.status()) && organizationSlug.equals(order.organizationSlug())
                                    && customerEmail.equalsIgnoreCase(order.customerEmail()));
                    if (!active) {
                        throw new ProblemException(409, "No welcome email for '" + organizationSlug + "': it has no active order for "
                                + customerEmail + " (an order becomes active once its quote is paid and provisioned)");
                    }
                })
                .replaceWithVoid();
    }
}
