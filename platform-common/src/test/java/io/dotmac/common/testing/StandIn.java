package io.dotmac.common.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Another of the suite's services, stood in for in one service's tests: a WireMock server on a free
 * loopback port that the REST clients named by {@link #clients()} are pointed at, so that the
 * service under test reads it over real HTTP, in the contract's snake_case JSON. A request nobody
 * stubbed gets WireMock's 404, as the real service answers for what it does not know. A subclass
 * adds what its service serves; its tests reach the server with {@link #server(Class)}.
 */
public abstract class StandIn implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Class<?>, WireMockServer> SERVERS = new ConcurrentHashMap<>();

    /** The REST client configuration keys ({@code quarkus.rest-client.<key>.url}) this stands in for. */
    protected abstract List<String> clients();

    public static WireMockServer server(Class<? extends StandIn> standIn) {
        WireMockServer server = SERVERS.get(standIn);
        if (server == null) {
            throw new IllegalStateException(standIn.getSimpleName() + " is not started: register it with @QuarkusTestResource");
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        // Threads enough for a test's burst of concurrent requests (twenty welcomes at once).
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(40));
        server.start();
        SERVERS.put(getClass(), server);
        return clients().stream().collect(Collectors.toMap(key -> "quarkus.rest-client." + key + ".url", key -> server.baseUrl()));
    }

    @Override
    public void stop() {
        WireMockServer server = SERVERS.remove(getClass());
        if (server != null) {
            server.stop();
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem+json answer, as every service of the suite gives one. */
    public static ResponseDefinitionBuilder problem(int status, String detail) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody(json(Map.of("type", "about:blank", "status", status, "detail", detail)));
    }

    /**
     * A quote's payment as billing-service's API shows it (its PaymentResponse, snake_case), in this
     * state (pending, succeeded, failed, ...), of this amount and currency.
     */
    public static Map<String, Object> billingPayment(String quoteId, String status, BigDecimal amount, String currency) {
        boolean succeeded = "succeeded".equals(status);
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("id", UUID.randomUUID().toString());
        payment.put("quote_id", quoteId);
        payment.put("amount", amount);
        payment.put("currency", currency);
        payment.put("customer_email", "billing@customer.example");
        payment.put("status", status);
        payment.put("stripe_customer_id", "cus_test");
        payment.put("stripe_payment_intent_id", "pi_" + UUID.randomUUID().toString().replace("-", ""));
        payment.put("failure_message", "failed".equals(status) ? "Your card was declined." : null);
        // Set when the customer pays on a Stripe Checkout page (tests put them in the map).
        payment.put("checkout_url", null);
        payment.put("checkout_expires_at", null);
        payment.put("created_at", "2030-12-02T10:05:00Z");
        payment.put("updated_at", "2030-12-02T10:06:00Z");
        payment.put("succeeded_at", succeeded ? "2030-12-02T10:06:00Z" : null);
        return payment;
    }

    /**
     * A subscription's invoice of the quote as billing-service's API shows it (its InvoiceResponse,
     * snake_case): {@code status} (paid, open...), 99.00 USD, for the period from {@code periodStart}
     * to {@code periodEnd} (ISO 8601).
     */
    public static Map<String, Object> billingInvoice(String quoteId, String status, String periodStart, String periodEnd) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("subscription_id", UUID.randomUUID().toString());
        invoice.put("quote_id", quoteId);
        invoice.put("stripe_invoice_id", "in_" + id.replace("-", ""));
        invoice.put("status", status);
        invoice.put("amount_due", new BigDecimal("99.00"));
        invoice.put("amount_paid", "paid".equals(status) ? new BigDecimal("99.00") : new BigDecimal("0.00"));
        invoice.put("currency", "USD");
        invoice.put("period_start", periodStart);
        invoice.put("period_end", periodEnd);
        invoice.put("hosted_invoice_url", "https://invoice.stripe.test/i/" + id);
        invoice.put("billing_reason", "subscription_cycle");
        invoice.put("attempt_count", 1);
        invoice.put("paid_at", "paid".equals(status) ? periodStart : null);
        return invoice;
    }

    /** billing-service serves the invoice (a map as {@link #billingInvoice} makes) at its id. */
    protected static void serveInvoice(WireMockServer server, Map<String, Object> invoice) {
        server.stubFor(get(urlEqualTo("/api/v1/billing/invoices/" + invoice.get("id"))).willReturn(okJson(json(invoice))));
    }

    /** Where crm-service serves a quote. */
    public static String quotePath(String quoteId) {
        return "/api/v1/crm/quotes/" + quoteId;
    }

    /** A line of a quote as crm-service shows it: {@code quantity} of the product at {@code unitPrice}. */
    public static Map<String, Object> crmQuoteItem(String productCode, String productName, int quantity, String unitPrice) {
        BigDecimal price = new BigDecimal(unitPrice);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("product_code", productCode);
        item.put("product_name", productName);
        item.put("quantity", quantity);
        item.put("unit_price", price);
        item.put("line_total", price.multiply(BigDecimal.valueOf(quantity)));
        return item;
    }

    /**
     * A quote as crm-service serves it (its QuoteView, snake_case), in USD, for the organization
     * {@code slug}, billed {@code billingCycle}, of these items, its total their line totals added up;
     * the customer is ops@&lt;slug&gt;.example. Tests change what they need in the map.
     */
    public static Map<String, Object> crmQuote(String quoteId, String status, String slug, String billingCycle,
                                               List<Map<String, Object>> items) {
        boolean accepted = "accepted".equals(status);
        Map<String, Object> quote = new LinkedHashMap<>();
        quote.put("id", quoteId);
        quote.put("quote_number", "Q-" + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        quote.put("lead_id", UUID.randomUUID().toString());
        quote.put("status", status);
        quote.put("currency", "USD");
        quote.put("billing_cycle", billingCycle);
        quote.put("total_amount", items.stream().map(item -> (BigDecimal) item.get("line_total")).reduce(BigDecimal.ZERO, BigDecimal::add));
        quote.put("items", new ArrayList<>(items));
        quote.put("customer_email", "ops@" + slug + ".example");
        quote.put("customer_name", "Ada Lovelace");
        quote.put("company_name", "Analytical Engines " + slug);
        quote.put("organization_slug", slug);
        quote.put("region", "eu-west");
        quote.put("valid_until", "2031-01-31");
        quote.put("sent_at", "2030-12-01T10:00:00Z");
        quote.put("accepted_at", accepted ? "2030-12-02T10:00:00Z" : null);
        quote.put("accepted_by", accepted ? "ada@" + slug + ".example" : null);
        quote.put("rejected_at", null);
        quote.put("rejection_reason", null);
        quote.put("created_at", "2030-12-01T09:00:00Z");
        quote.put("updated_at", "2030-12-02T10:00:00Z");
        return quote;
    }

    /** Where billing-service serves a quote's payment. */
    public static String paymentPath(String quoteId) {
        return "/api/v1/billing/payments/by-quote/" + quoteId;
    }

    /** On {@code server}, billing-service answers this when asked for the quote's payment (e.g. a 500). */
    protected static void answerPayment(WireMockServer server, String quoteId, ResponseDefinitionBuilder response) {
        server.stubFor(get(urlEqualTo(paymentPath(quoteId))).willReturn(response));
    }

    /** On {@code server}, billing-service serves a payment of the quote ({@link #billingPayment}); returns it. */
    protected static Map<String, Object> servePayment(WireMockServer server, String quoteId, String status, BigDecimal amount,
                                                      String currency) {
        Map<String, Object> payment = billingPayment(quoteId, status, amount, currency);
        answerPayment(server, quoteId, okJson(json(payment)));
        return payment;
    }

    /** On {@code server}, billing-service knows no payment of the quote: its 404 problem+json. */
    protected static void serveNoPayment(WireMockServer server, String quoteId) {
        answerPayment(server, quoteId, problem(404, "No payment for quote " + quoteId));
    }
}
