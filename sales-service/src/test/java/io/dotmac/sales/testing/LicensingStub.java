package io.dotmac.sales.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.dotmac.common.testing.StandIn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for licensing-service, which the Kubernetes provisioner reads for the license keys of
 * an order's quote: a customer without licenses stubbed for it has none (an empty page).
 */
public class LicensingStub extends StandIn {

    private static final String LICENSES = "/api/v1/licenses";

    public static WireMockServer server() {
        return server(LicensingStub.class);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        server().stubFor(get(urlPathEqualTo(LICENSES)).atPriority(10)
                .willReturn(okJson(json(Map.of("items", List.of(), "page", 0, "size", 100, "total", 0)))));
        return config;
    }

    /** licensing-service lists these licenses (newest first) for the customer (an organization slug). */
    public static void serve(String customerId, List<Map<String, Object>> licenses) {
        server().stubFor(get(urlPathEqualTo(LICENSES)).withQueryParam("customer_id", equalTo(customerId)).atPriority(1)
                .willReturn(okJson(json(Map.of("items", licenses, "page", 0, "size", 100, "total", licenses.size())))));
    }

    /** A license as licensing-service lists it (its LicenseView, snake_case). */
    public static Map<String, Object> license(String customerId, String quoteId, String productCode, String status, String key) {
        Map<String, Object> license = new LinkedHashMap<>();
        license.put("id", java.util.UUID.randomUUID().toString());
        license.put("customer_id", customerId);
        license.put("source_id", quoteId);
        license.put("product_code", productCode);
        license.put("seats", 1);
        license.put("status", status);
        license.put("license_key", key);
        return license;
    }

    @Override
    protected List<String> clients() {
        return List.of("licensing-service");
    }
}
