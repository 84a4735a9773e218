package io.dotmac.licensing.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for crm-service: a WireMock server on a free loopback port that the crm REST client
 * (platform-common's CrmQuotes) is pointed at, so that the quote a license set is issued for is read
 * over real HTTP with the contract's JSON (crm-service's QuoteView, snake_case). A quote it was not
 * told about is crm-service's 404 (WireMock's answer to an unknown request).
 */
public class CrmStub extends StandIn {

    public static WireMockServer server() {
        return server(CrmStub.class);
    }



    /**
     * An accepted quote as crm-service serves it, in USD, for the organization {@code slug}, billed
     * {@code billingCycle}, of these items; its total_amount is the items' line totals added up.
     */
    public static Map<String, Object> quote(String quoteId, String slug, String billingCycle, List<Map<String, Object>> items) {
        return crmQuote(quoteId, "accepted", slug, billingCycle, items);
    }

    /**
     * An accepted quote of kind change, served by crm-service: the subscription the quote {@code changesQuoteId}
     * started, for the organization {@code slug}, billed {@code billingCycle}, is to have these items from now on.
     */
    public static Map<String, Object> changeQuote(String changesQuoteId, String slug, String billingCycle,
                                                  List<Map<String, Object>> items) {
        Map<String, Object> quote = quote(UUID.randomUUID().toString(), slug, billingCycle, items);
        quote.put("kind", "change");
        quote.put("changes_quote_id", changesQuoteId);
        return serve(quote);
    }

    /** crm-service serves this quote (a map in the contract's snake_case JSON) at its id. */
    public static Map<String, Object> serve(Map<String, Object> quote) {
        return serveAt((String) quote.get("id"), quote);
    }

    /** crm-service serves this quote when asked for it as {@code requestedId} (another spelling of its id, say). */
    public static Map<String, Object> serveAt(String requestedId, Map<String, Object> quote) {
        answer(requestedId, okJson(json(quote)));
        return quote;
    }

    /**
     * crm-service serves this quote to its own tenant only, here to callers with {@code token}; to any
     * other it answers its 404, as crm-service does for another tenant's quote.
     */
    public static Map<String, Object> serveTo(String token, Map<String, Object> quote) {
        String id = (String) quote.get("id");
        server().stubFor(get(urlEqualTo(quotePath(id))).atPriority(1).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(okJson(json(quote))));
        server().stubFor(get(urlEqualTo(quotePath(id))).atPriority(2).willReturn(problem(404, "No quote with id '" + id + "'")));
        return quote;
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
