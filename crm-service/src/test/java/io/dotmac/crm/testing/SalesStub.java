package io.dotmac.crm.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.util.List;
import java.util.Map;

/**
 * Stands in for sales-service's slug reservations: every slug is free (PUT answers 200, DELETE
 * 204) unless a test says otherwise for its own slug. Registered for every test of the module, since
 * every qualification reserves the lead's slug.
 */
public class SalesStub extends StandIn {

    public static WireMockServer server() {
        return server(SalesStub.class);
    }

    public static String reservationPath(String slug) {
        return "/api/v1/sales/slug-reservations/" + slug;
    }

    /** sales-service answers this when the slug is reserved. */
    public static void answerReserve(String slug, ResponseDefinitionBuilder response) {
        server().stubFor(put(urlPathEqualTo(reservationPath(slug))).willReturn(response));
    }

    /** Another customer of the platform holds the slug. */
    public static void taken(String slug) {
        answerReserve(slug, problem(409, "organization slug '" + slug + "' is taken"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        server().stubFor(put(urlPathMatching("/api/v1/sales/slug-reservations/[^/]+")).atPriority(10)
                .willReturn(okJson("{}")));
        server().stubFor(delete(urlPathMatching("/api/v1/sales/slug-reservations/[^/]+")).atPriority(10)
                .willReturn(aResponse().withStatus(204)));
        return config;
    }

    @Override
    protected List<String> clients() {
        return List.of("sales-service");
    }
}
