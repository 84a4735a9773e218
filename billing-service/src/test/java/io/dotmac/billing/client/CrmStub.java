package io.dotmac.billing.client;

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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for crm-service: a WireMock server on a free loopback port that the crm REST client is
 * pointed at, so that the quote a payment is for is read over real HTTP with the contract's JSON.
 * A quote it was not told about is crm-service's 404 (WireMock's answer to an unknown request).
 */
public class CrmStub extends StandIn {

    public static WireMockServer server() {
        return server(CrmStub.class);
    }

    public static String quotePath(String quoteId) {
        return "/api/v1/crm/quotes/" + quoteId;
    }

    /**
     * A quote as crm-service serves it (snake_case, amounts as JSON numbers) with this status,
     * total, currency and customer email (null: none); the rest is filled in.
     */
    public static Map<String, Object> quote(String quoteId, String status, String totalAmount, String currency, String email) {
        Map<String, Object> quote = new LinkedHashMap<>();
        quote.put("id", quoteId);
        quote.put("quote_number", "Q-" + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        quote.put("lead_id", UUID.randomUUID().toString());
        quote.put("status", status);
        quote.put("currency", currency);
        quote.put("billing_cycle", "monthly");
        quote.put("total_amount", totalAmount == null ? null : new BigDecimal(totalAmount));
        quote.put("items", List.of());
        quote.put("customer_email", email);
        quote.put("customer_name", "Ada Lovelace");
        quote.put("company_name", "Analytical Engines");
        quote.put("organization_slug", "analytical-engines");
        quote.put("region", "eu-west");
        quote.put("valid_until", "2031-01-31");
        quote.put("sent_at", "2030-12-01T10:00:00Z");
        quote.put("accepted_at", "accepted".equals(status) ? "2030-12-02T10:00:00Z" : null);
        quote.put("created_at", "2030-12-01T09:00:00Z");
        quote.put("updated_at", "2030-12-02T10:00:00Z");
        return quote;
    }

    /** crm-service serves an accepted quote with this total, currency and customer; returns the quote. */
    public static Map<String, Object> serveAccepted(String quoteId, String totalAmount, String currency, String email) {
        Map<String, Object> quote = quote(quoteId, "accepted", totalAmount, currency, email);
        serve(quote);
        return quote;
    }

    /** crm-service serves this quote (a map in the contract's snake_case JSON) at its id. */
    public static void serve(Map<String, Object> quote) {
        answer((String) quote.get("id"), okJson(json(quote)));
    }

    /** crm-service answers this for the quote. */
    public static void answer(String quoteId, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlEqualTo(quotePath(quoteId))).willReturn(response));
    }

    @Override
    protected List<String> clients() {
        return List.of("crm-service");
    }
}
