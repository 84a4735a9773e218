package io.dotmac.notification.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the services asked before an email: sales-service (the organization's active
 * orders, {@code ?status=active&organization_slug=}) and billing-service (the payment of a quote:
 * an order's, or the one a payment request links to). One WireMock server on a free loopback port serves both services' paths, and both REST
 * clients are pointed at it, so that orders and payments are read over real HTTP with the
 * contracts' JSON; anything not stubbed is WireMock's 404 (for a payment: the quote has none).
 */
public class SalesStub extends StandIn {

    public static final String ORDERS_PATH = "/api/v1/sales/orders";
    /** Where billing-service serves an invoice, by its id. */
    public static final String INVOICES_PATH = "/api/v1/billing/invoices/";
    /** What {@link #order} costs: its total_amount, in its currency. */
    public static final BigDecimal TOTAL = new BigDecimal("465.65");
    public static final String CURRENCY = "USD";

    public static WireMockServer server() {
        return server(SalesStub.class);
    }

    // sales-service

    /**
     * sales-service has an active order for the organization to each of these addresses, and
     * billing-service a succeeded payment of each order's quote, of its whole total in its
     * currency; returns the orders.
     */
    public static List<Map<String, Object>> activeOrder(String organizationSlug, String... customerEmails) {
        List<Map<String, Object>> orders = Arrays.stream(customerEmails)
                .map(email -> order(organizationSlug, email, "active")).toList();
        orders.forEach(SalesStub::paid);
        serve(organizationSlug, orders);
        return orders;
    }

    /**
     * sales-service has an active order for the organization to this address, whose quote's payment
     * billing-service serves in this state (succeeded, pending, refunded, ...) and of this amount, in
     * the order's currency; returns the order.
     */
    public static Map<String, Object> activeOrderPaid(String organizationSlug, String customerEmail, String paymentStatus,
            BigDecimal amount) {
        Map<String, Object> order = order(organizationSlug, customerEmail, "active");
        payment(quoteId(order), paymentStatus, amount, (String) order.get("currency"));
        serve(organizationSlug, List.of(order));
        return order;
    }

    /** An active order whose quote's payment was refunded after the order became active. */
    public static Map<String, Object> activeOrderRefunded(String organizationSlug, String customerEmail) {
        return activeOrderPaid(organizationSlug, customerEmail, "refunded", TOTAL);
    }

    /** An active order whose quote's payment has not succeeded yet. */
    public static Map<String, Object> activeOrderPending(String organizationSlug, String customerEmail) {
        return activeOrderPaid(organizationSlug, customerEmail, "pending", TOTAL);
    }

    /** An active order whose quote's succeeded payment is smaller than the order's total. */
    public static Map<String, Object> activeOrderUnderpaid(String organizationSlug, String customerEmail, BigDecimal amount) {
        return activeOrderPaid(organizationSlug, customerEmail, "succeeded", amount);
    }

    /** An active order about whose quote's payment billing-service answers this (a 500, a dropped connection). */
    public static Map<String, Object> activeOrderBillingAnswers(String organizationSlug, String customerEmail,
            ResponseDefinitionBuilder billingAnswer) {
        Map<String, Object> order = order(organizationSlug, customerEmail, "active");
        answerPayment(quoteId(order), billingAnswer);
        serve(organizationSlug, List.of(order));
        return order;
    }

    /** sales-service lists these orders (maps in the contract's snake_case JSON) as the organization's active ones. */
    public static void serve(String organizationSlug, List<Map<String, Object>> orders) {
        answer(organizationSlug, ordersPage(orders));
    }

    /** sales-service's answer listing these orders, as one page (e.g. to add a delay to). */
    public static ResponseDefinitionBuilder ordersPage(List<Map<String, Object>> orders) {
        return okJson(json(Map.of("items", orders, "page", 0, "size", 20, "total", orders.size())));
    }

    /** sales-service answers this for the organization's active orders. */
    public static void answer(String organizationSlug, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlPathEqualTo(ORDERS_PATH)).withQueryParam("status", equalTo("active"))
                .withQueryParam("organization_slug", equalTo(organizationSlug)).willReturn(response));
    }

    /** An order as sales-service's API shows it (snake_case, the fields of the contract), of {@link #TOTAL} {@link #CURRENCY}. */
    public static Map<String, Object> order(String organizationSlug, String customerEmail, String status) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", UUID.randomUUID().toString());
        order.put("external_order_id", null);
        order.put("quote_id", "Q-" + UUID.randomUUID().toString().substring(0, 8));
        order.put("status", status);
        order.put("failure_reason", null);
        order.put("source", "quote");
        order.put("customer_email", customerEmail);
        order.put("customer_name", "Jane Doe");
        order.put("company_name", "Example ISP");
        order.put("organization_slug", organizationSlug);
        order.put("region", "eu-west");
        order.put("currency", CURRENCY);
        order.put("billing_cycle", "annual");
        order.put("total_amount", TOTAL);
        order.put("services", List.of());
        order.put("tenant_id", UUID.randomUUID().toString());
        order.put("deployment_instance_id", UUID.randomUUID().toString());
        order.put("tenant", null);
        order.put("deployment", null);
        order.put("activations", List.of());
        order.put("created_at", "2026-01-05T10:00:00Z");
        order.put("updated_at", "2026-01-05T10:05:00Z");
        order.put("activated_at", "active".equals(status) ? "2026-01-05T10:05:00Z" : null);
        return order;
    }

    public static String quoteId(Map<String, Object> order) {
        return (String) order.get("quote_id");
    }

    /**
     * sales-service reports the cart's shop checkout in this status (awaiting_payment, paid...), made
     * into the quote, for the customer, with its order page at {@code orderUrl} (null: none).
     */
    public static void shopCheckout(String cartId, String status, String quoteId, String customerName, String orderUrl) {
        Map<String, Object> checkout = new LinkedHashMap<>();
        checkout.put("cart_id", cartId);
        checkout.put("status", status);
        checkout.put("quote_id", quoteId);
        checkout.put("customer_name", customerName);
        checkout.put("order_url", orderUrl);
        answerShopCheckout(cartId, okJson(json(checkout)));
    }

    /** sales-service answers this when asked for the cart's shop checkout (a 404, a 500). */
    public static void answerShopCheckout(String cartId, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlEqualTo("/api/v1/sales/shop-checkouts/" + cartId)).willReturn(response));
    }

    // billing-service

    /** billing-service serves a succeeded payment of the order's quote, of the order's whole total in its currency. */
    public static Map<String, Object> paid(Map<String, Object> order) {
        return payment(quoteId(order), "succeeded", (BigDecimal) order.get("total_amount"), (String) order.get("currency"));
    }

    /**
     * billing-service serves a payment of the quote in this state, amount and currency, as its
     * PaymentResponse (snake_case JSON); returns it.
     */
    public static Map<String, Object> payment(String quoteId, String status, BigDecimal amount, String currency) {
        return servePayment(server(), quoteId, status, amount, currency);
    }

    /**
     * billing-service serves a payment of the quote in this state, to {@code customerEmail}, whose
     * customer pays on the Stripe Checkout page {@code checkoutUrl} (null: none) open until
     * {@code expiresAt}; returns it.
     */
    public static Map<String, Object> checkout(String quoteId, String status, BigDecimal amount, String currency,
            String customerEmail, String checkoutUrl, OffsetDateTime expiresAt) {
        Map<String, Object> payment = billingPayment(quoteId, status, amount, currency);
        payment.put("customer_email", customerEmail);
        payment.put("checkout_url", checkoutUrl);
        payment.put("checkout_expires_at", expiresAt == null ? null : expiresAt.toString());
        answerPayment(quoteId, okJson(json(payment)));
        return payment;
    }

    /** billing-service knows no payment of the quote: 404 problem+json, as it answers then. */
    public static void noPayment(String quoteId) {
        serveNoPayment(server(), quoteId);
    }

    /** billing-service answers this when asked for the quote's payment (e.g. a 500). */
    public static void answerPayment(String quoteId, ResponseDefinitionBuilder response) {
        answerPayment(server(), quoteId, response);
    }

    /**
     * billing-service has an invoice of the quote's subscription in this status, for the period from
     * {@code periodStart} to {@code periodEnd} (ISO 8601); returns it (its id: {@code id}).
     */
    public static Map<String, Object> invoice(String quoteId, String status, String periodStart, String periodEnd) {
        Map<String, Object> invoice = billingInvoice(quoteId, status, periodStart, periodEnd);
        serveInvoice(server(), invoice);
        return invoice;
    }

    /**
     * billing-service has a succeeded payment of the quote, of 99.00 USD, to {@code customerEmail}
     * (null: it names none), and an invoice of its subscription in this status (paid, open, void...)
     * for the period from 31 March to 30 April 2031; returns the invoice's id.
     */
    public static String invoiceTo(String quoteId, String customerEmail, String status) {
        return (String) billedTo(quoteId, customerEmail, status).get("id");
    }

    /** As {@link #invoiceTo}, the whole invoice (its {@code subscription_id} too). */
    public static Map<String, Object> billedTo(String quoteId, String customerEmail, String status) {
        checkout(quoteId, "succeeded", new BigDecimal("99.00"), "USD", customerEmail, null, null);
        return invoice(quoteId, status, "2031-03-31T10:00:00Z", "2031-04-30T10:00:00Z");
    }

    /** sales-service reports the quote's platform in this status (suspended, active...). */
    public static void platformIs(String quoteId, String status) {
        server().stubFor(get(urlEqualTo("/api/v1/sales/tenants/by-quote/" + quoteId))
                .willReturn(okJson("{\"quote_id\": \"" + quoteId + "\", \"status\": \"" + status + "\"}")));
    }

    /** billing-service answers this when asked for the link that cancels the subscription (a 200 with its url, a 403). */
    public static void answerCancelLink(String subscriptionId, ResponseDefinitionBuilder response) {
        server().stubFor(post(urlEqualTo("/api/v1/billing/subscriptions/" + subscriptionId + "/cancel-link")).willReturn(response));
    }

    /** billing-service answers this when asked for the invoice (e.g. a 500). */
    public static void answerInvoice(String invoiceId, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlEqualTo(INVOICES_PATH + invoiceId)).willReturn(response));
    }

    @Override
    protected List<String> clients() {
        return List.of("sales-service", "billing-service");
    }
}
