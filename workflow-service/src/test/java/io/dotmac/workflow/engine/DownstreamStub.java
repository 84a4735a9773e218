package io.dotmac.workflow.engine;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

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
