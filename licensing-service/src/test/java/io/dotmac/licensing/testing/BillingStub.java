package io.dotmac.licensing.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

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

    /** billing-service answers this for the quote. */
    public static void answer(String quoteId, ResponseDefinitionBuilder response) {
        answerPayment(server(), quoteId, response);
    }

    @Override
    protected List<String> clients() {
        return List.of("billing-service");
    }
}
