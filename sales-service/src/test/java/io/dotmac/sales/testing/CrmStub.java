package io.dotmac.sales.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stands in for crm-service: a WireMock server on a free loopback port that the crm REST client is
 * pointed at, so that quotes are read over real HTTP with the contract's JSON.
 */
public class CrmStub implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    public static String quotePath(String quoteId) {
        return "/api/v1/crm/quotes/" + quoteId;
    }

    /** crm-service serves this quote (a map in the contract's snake_case JSON) at its id. */
    public static void serve(Map<String, Object> quote) {
        answer((String) quote.get("id"), okJson(json(quote)));
    }

    /** crm-service answers this for the quote. */
    public static void answer(String quoteId, ResponseDefinitionBuilder response) {
        server.stubFor(get(urlEqualTo(quotePath(quoteId))).willReturn(response));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of("quarkus.rest-client.crm-service.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
