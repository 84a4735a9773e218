package io.dotmac.sales.order;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.quote.CrmQuotes;
import io.dotmac.common.quote.Quote;
import io.dotmac.sales.provisioning.Provisioner;
import io.dotmac.sales.provisioning.Teardown;
import io.dotmac.sales.support.SeparateTransaction;
import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Orders from accepted quotes, one per quote, and their cancellation (which undoes their
 * processing). Submitting and processing live in {@link io.dotmac.sales.provisioning.OrderProcessor}.
 */
@ApplicationScoped
public class OrderService {

    /** A DNS label under the tenant base domain (contract: 3 to 40 characters). */
    static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,38}[a-z0-9]$");

    private static final Pattern UUID_TEXT = Pattern.compile("^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$");

    private final OrderRepository orders;
    private final OrderViews views;
    private final CrmQuotes crm;
    private final Teardown teardown;
    private final SeparateTransaction tx;

    OrderService(OrderRepository orders, OrderViews views, CrmQuotes crm, Teardown teardown, SeparateTransaction tx) {
        this.orders = orders;
        this.views = views;
        this.crm = crm;
        this.teardown = teardown;
        this.tx = tx;
    }

    /** What {@link #createFromQuote} did: made a new order, or found the quote's existing one. */
    public record Created(OrderView view, boolean isNew) {
    }

    /**
     * The quote's order: the existing one if there is one (crm-service is then not asked), else a new
     * draft made from the accepted quote. Concurrent calls for one quote take turns, so the second
     * finds the first one's order.
     */
    @WithTransaction
    public Uni<Created> createFromQuote(String tenantId, String requestedQuoteId) {
        String quoteId = normalized(requestedQuoteId);
        return orders.lockQuote(tenantId, quoteId)
                .chain(() -> orders.findByQuote(tenantId, quoteId))
                .chain(existing -> existing != null
                        ? views.of(existing).map(view -> new Created(view, false))
                        : crm.quote(quoteId)
                                .map(quote -> fromQuote(tenantId, quoteId, quote))
                                .call(order -> orders.persistAndFlush(order)) // flushed: the answer shows its timestamps
                                .chain(views::of)
                                .map(view -> new Created(view, true)));
    }

    /**
     * Cancels the order ({@link #cancelLocked}), then waits, holding no lock, transaction or
     * connection, until the teardown it asked for is done.
     */
    public Uni<OrderView> cancel(String tenantId, UUID id) {
        return tx.run(() -> cancelLocked(tenantId, id)).call(Cancellation::finished).map(Cancellation::view);
    }

    /**
     * Cancels the order, whatever its status, asking for what it provisioned to be torn down
     * ({@link Teardown}); a cancelled order is returned as it is. In the caller's transaction: the
     * order stays locked until it commits, so a concurrent cancel then finds it cancelled (one
     * teardown), and processing stops at its next part. The caller awaits the teardown once committed.
     */
    @WithTransaction
    public Uni<Cancellation> cancelLocked(String tenantId, UUID id) {
        return orders.lockOwned(tenantId, id)
                .onItem().ifNull().failWith(() -> new NotFound("Order " + id + " not found"))
                .chain(views::of)
                .chain(view -> view.order().status == OrderStatus.CANCELLED
                        ? Uni.createFrom().item(new Cancellation(view, Provisioner.Completion.DONE))
                        : teardown.tearDown(view).invoke(() -> view.order().cancel()).map(done -> new Cancellation(view, done)))
                .call(cancellation -> orders.flush()); // the answer shows the new updated_at
    }

    /** A cancel committed, and the teardown it asked for, which the platform finishes. */
    public record Cancellation(OrderView view, Provisioner.Completion teardown) {

        /** Done once the teardown is; the order stays cancelled, and its parts recorded deprovisioned, either way. */
        public Uni<Void> finished() {
            return Uni.createFrom().deferred(teardown::await).onFailure().transform(e -> new UpstreamFailed("Order "
                    + view.order().id + " is cancelled, but tearing down what it provisioned did not finish: "
                    + Downstream.rootMessage(e) + "; the platform goes on with it"));
        }
    }

    /** The order a quote becomes, field by field; 409 unless the quote is accepted, 422 if it lacks what an order needs. */
    static Order fromQuote(String tenantId, String quoteId, Quote quote) {
        String number = quote.quoteNumber() == null ? quoteId : quote.quoteNumber();
        if (!Quote.ACCEPTED.equals(quote.status())) {
            throw new Conflict("Quote " + number + " is " + quote.status()
                    + ", not accepted: only an accepted quote becomes an order");
        }
        if (quote.change()) {
            throw new Unprocessable("Quote " + number + " changes the seats of quote " + quote.changesQuoteId()
                    + "'s subscription; it becomes no order of its own");
        }
        require(quote.quoteNumber(), "quote_number", number);
        require(quote.customerEmail(), "customer_email", number);
        require(quote.organizationSlug(), "organization_slug", number);
        require(quote.region(), "region", number);
        require(quote.currency(), "currency", number);
        require(quote.totalAmount(), "total_amount", number);
        if (!SLUG.matcher(quote.organizationSlug()).matches()) {
            throw new Unprocessable("Quote " + number + " has organization_slug '" + quote.organizationSlug()
                    + "', which is not a valid tenant name (3 to 40 of a-z, 0-9 and inner hyphens, starting with a letter)");
        }
        if (quote.items() == null || quote.items().isEmpty()) {
            throw new Unprocessable("Quote " + number + " has no items: an order needs at least one service");
        }

        Order order = new Order();
        order.id = UUID.randomUUID();
        order.tenantId = tenantId;
        order.quoteId = quoteId;
        order.externalOrderId = Order.EXTERNAL_ID_PREFIX + quote.quoteNumber();
        order.status = OrderStatus.DRAFT;
        order.source = Order.SOURCE_CRM_QUOTE;
        order.customerEmail = quote.customerEmail();
        order.customerName = quote.customerName();
        order.companyName = quote.companyName();
        order.organizationSlug = quote.organizationSlug();
        order.region = quote.region();
        order.currency = quote.currency();
        order.billingCycle = quote.billingCycle();
        order.totalAmount = quote.totalAmount();
        order.services = new OrderedServices(services(number, quote.items()));
        return order;
    }

    // One service per product code: two lines of one product add up, in the place of the first.
    private static List<OrderedService> services(String quoteNumber, List<Quote.Item> items) {
        Map<String, OrderedService> byCode = new LinkedHashMap<>();
        for (Quote.Item item : items) {
            require(item.productCode(), "items[].product_code", quoteNumber);
            int quantity = item.quantity() == null ? 1 : item.quantity();
            if (quantity < 1) {
                throw new Unprocessable("Quote " + quoteNumber + " has quantity " + quantity + " for "
                        + item.productCode() + ": an order needs at least 1");
            }
            byCode.merge(item.productCode(), new OrderedService(item.productCode(), item.productName(), quantity),
                    (first, more) -> new OrderedService(first.serviceCode(), first.serviceName(), first.quantity() + more.quantity()));
        }
        return new ArrayList<>(byCode.values());
    }

    private static void require(Object value, String field, String quoteNumber) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new Unprocessable("Quote " + quoteNumber + " has no " + field + ": an order needs it");
        }
    }

    /**
     * A quote id as orders keep it. crm-service's ids are UUIDs: one spelling of each, so that the
     * quote's order is found however it is written.
     */
    public static String normalized(String quoteId) {
        String trimmed = quoteId.trim();
        return UUID_TEXT.matcher(trimmed).matches() ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
    }
}
