package io.dotmac.licensing.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for billing-service: a WireMock server on a free loopback port that the billing REST
 * client (platform-common's paid-quote check) is pointed at, so that a quote's payment is read over
 * real HTTP with the contract's JSON. A quote nobody stubbed has no payment (WireMock's 404).
 */
public class BillingStub extends StandIn {

    public static WireMockServer server() {
        return server(BillingStub.class);
    }

    /** What the tests' usual purchase (five support-desk seats and one isp-core) costs. */
    public static final BigDecimal USUAL_TOTAL = new BigDecimal("465.65");

    /** billing-service has a succeeded payment of the usual purchase's total, in USD, for the quote. */
    public static void paid(String quoteId) {
        payment(quoteId, "succeeded");
    }

    /** billing-service has a succeeded payment of this amount and currency for the quote. */
    public static void paid(String quoteId, BigDecimal amount, String currency) {
        payment(quoteId, "succeeded", amount, currency);
    }

    /** billing-service has a payment in this status (pending, failed, succeeded...) of the usual total for the quote. */
    public static void payment(String quoteId, String status) {
        payment(quoteId, status, USUAL_TOTAL, "USD");
    }

    /** billing-service has a payment in this status, of this amount and currency, for the quote. */
    public static void payment(String quoteId, String status, BigDecimal amount, String currency) {
        servePayment(server(), quoteId, status, amount, currency);
    }

    /** billing-service has no payment for the quote: its 404 problem. */
    public static void noPayment(String quoteId) {
        serveNoPayment(server(), quoteId);
    }

    /**
     * billing-service has an invoice of the quote's subscription in this status, paying for the
     * period from {@code periodStart} to {@code periodEnd} (ISO 8601); returns it (its id: {@code id}).
     */
    public static Map<String, Object> invoice(String quoteId, String status, String periodStart, String periodEnd) {
        Map<String, Object> invoice = billingInvoice(quoteId, status, periodStart, periodEnd);
        serveInvoice(server(), invoice);
        return invoice;
    }

    /**
     * billing-service made the seat change of the change quote {@code changeQuoteId} to the subscription
     * the quote {@code subscriptionQuoteId} started, as the {@code sequence}th of its changes, and it is
     * {@code status} (pending, awaiting_payment, applied, expired); returns it as billing's SeatChangeResponse serves it.
     */
    public static Map<String, Object> seatChange(String changeQuoteId, String subscriptionQuoteId, int sequence, String status) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("id", id);
        change.put("quote_id", changeQuoteId);
        change.put("subscription_id", UUID.randomUUID().toString());
        change.put("subscription_quote_id", subscriptionQuoteId);
        change.put("stripe_subscription_id", "sub_" + id.replace("-", ""));
        change.put("sequence", sequence);
        change.put("status", status);
        change.put("amount", new BigDecimal("632.30"));
        change.put("currency", "USD");
        change.put("prorated_amount", new BigDecimal("83.27"));
        change.put("credited_amount", new BigDecimal("233.03"));
        change.put("charged_amount", new BigDecimal("316.30"));
        change.put("stripe_invoice_id", "in_" + id.replace("-", ""));
        change.put("created_at", "2031-03-02T10:00:00Z");
        change.put("updated_at", "2031-03-02T10:00:01Z");
        server().stubFor(get(urlEqualTo(seatChangePath(changeQuoteId))).willReturn(okJson(json(change))));
        return change;
    }

    /** Where billing-service serves the seat change of a change quote. */
    public static String seatChangePath(String changeQuoteId) {
        return "/api/v1/billing/subscriptions/changes/" + changeQuoteId;
    }

    /** billing-service answers this for the quote. */
    public static void answer(String quoteId, ResponseDefinitionBuilder response) {
        answerPayment(server(), quoteId, response);
    }

    @Override
    protected List<String> clients() {
        return List.of("billing-service");
    }
}
