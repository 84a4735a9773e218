package io.dotmac.sales.testing;

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

/**
 * Stands in for the services sales-service reads: crm-service (the quote an order is made from, the shop's catalog) and
 * billing-service (whether the order's quote is paid). One WireMock server on a free loopback port
 * serves both services' paths, and both REST clients are pointed at it, so that quotes and payments
 * are read over real HTTP with the contracts' JSON.
 */
public class PeerServicesStub extends StandIn {

    public static final String CATALOG_PATH = "/api/v1/crm/catalog";

    public static WireMockServer server() {
        return server(PeerServicesStub.class);
    }

    // crm-service


    /** crm-service serves this quote (a map in the contract's snake_case JSON) at its id. */
    public static void serve(Map<String, Object> quote) {
        answer((String) quote.get("id"), okJson(json(quote)));
    }

    /** crm-service answers this for the quote. */
    public static void answer(String quoteId, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlEqualTo(quotePath(quoteId))).willReturn(response));
    }

    /** crm-service's public catalog (the shop's): these products, as its {"products": [...]} answer. */
    public static void serveCatalog(List<Map<String, Object>> products) {
        server().stubFor(get(urlEqualTo(CATALOG_PATH)).willReturn(okJson(json(Map.of("products", products)))));
    }

    /** A product of crm-service's public catalog; {@code annual} null: not sold annually. */
    public static Map<String, Object> catalogProduct(String code, String name, String currency, String monthly, String annual) {
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("monthly", new BigDecimal(monthly));
        if (annual != null) {
            prices.put("annual", new BigDecimal(annual));
        }
        return Map.of("code", code, "name", name, "description", name + ", described", "currency", currency,
                "unit_prices", prices);
    }

    // billing-service

    /** billing-service serves a succeeded payment of the quote's whole total, in its currency. */
    public static Map<String, Object> paid(Map<String, Object> quote) {
        return payment((String) quote.get("id"), "succeeded", (BigDecimal) quote.get("total_amount"),
                (String) quote.get("currency"));
    }

    /**
     * billing-service serves a payment of the quote in this state (pending, processing, succeeded,
     * failed, ...), amount and currency, as its PaymentResponse (snake_case JSON); returns it.
     */
    public static Map<String, Object> payment(String quoteId, String status, BigDecimal amount, String currency) {
        return servePayment(server(), quoteId, status, amount, currency);
    }

    /** billing-service knows no payment of the quote: 404 problem+json, as it answers then. */
    public static void noPayment(String quoteId) {
        serveNoPayment(server(), quoteId);
    }

    /** billing-service answers this when asked for the quote's payment (e.g. a 500). */
    public static void answerPayment(String quoteId, ResponseDefinitionBuilder response) {
        answerPayment(server(), quoteId, response);
    }

    @Override
    protected List<String> clients() {
        return List.of("crm-service", "billing-service");
    }
}
