package io.dotmac.billing.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Stands in for crm-service: a WireMock server on a free loopback port that the crm REST client is
 * pointed at, so that the quote a payment is for is read over real HTTP with the contract's JSON.
 * A quote it was not told about is crm-service's 404 (WireMock's answer to an unknown request).
 */
public class CrmStub extends StandIn {

    public static WireMockServer server() {
        return server(CrmStub.class);
    }


    /**
     * A quote as crm-service serves it (snake_case, amounts as JSON numbers) with this status,
     * total, currency and customer email (null: none); the rest is filled in.
     */
    public static Map<String, Object> quote(String quoteId, String status, String totalAmount, String currency, String email) {
        Map<String, Object> quote = crmQuote(quoteId, status, "analytical-engines", "monthly", List.of());
        quote.put("total_amount", totalAmount == null ? null : new BigDecimal(totalAmount));
        quote.put("currency", currency);
        quote.put("customer_email", email);
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
