package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the five downstream services: one WireMock server on a free loopback port that
 * the REST clients are pointed at, so the engine's calls cross real HTTP.
 */
public class DownstreamStub implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return clientUrls(server.baseUrl());
    }

    /**
     * A new lead id whose qualification fails once with a 503 (a transient failure, retried) and
     * succeeds after, and a workflow that qualifies it with one retry {@code backoffSeconds} later.
     */
    static SecondTry leadQualifiedOnSecondTry(EngineTestSupport support, int backoffSeconds) {
        String lead = UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/v1/crm/leads/" + lead + "/qualify";
        server.stubFor(post(urlEqualTo(path)).inScenario("second-try-" + lead)
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo(path)).inScenario("second-try-" + lead)
                .whenScenarioStateIs("up").willReturn(okJson("{\"status\":\"qualified\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"result":"lead",
                  "retry":{"max_attempts":2,"backoff_seconds":%d}}]""".formatted(backoffSeconds));
        return new SecondTry(lead, workflow);
    }

    record SecondTry(String lead, String workflow) {
    }

    /** Points the REST clients of all five downstream services at one base URL. */
    public static Map<String, String> clientUrls(String url) {
        return Map.of(
                "quarkus.rest-client.crm-service.url", url,
                "quarkus.rest-client.sales-service.url", url,
                "quarkus.rest-client.billing-service.url", url,
                "quarkus.rest-client.licensing-service.url", url,
                "quarkus.rest-client.notification-service.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
