package io.dotmac.notification.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.dotmac.common.testing.StandIn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for sales-service: a WireMock server on a free loopback port that the sales REST client
 * is pointed at, so that an organization's active orders are read over real HTTP with the
 * contract's JSON. It answers only the list of active orders of one organization
 * ({@code ?status=active&organization_slug=}); anything else is WireMock's 404.
 */
public class SalesStub extends StandIn {

    public static final String ORDERS_PATH = "/api/v1/sales/orders";

    public static WireMockServer server() {
        return server(SalesStub.class);
    }

    /** sales-service has an active order for the organization to each of these addresses. */
    public static void activeOrder(String organizationSlug, String... customerEmails) {
        serve(organizationSlug, Arrays.stream(customerEmails).map(email -> order(organizationSlug, email, "active")).toList());
    }

    /** sales-service lists these orders (maps in the contract's snake_case JSON) as the organization's active ones. */
    public static void serve(String organizationSlug, List<Map<String, Object>> orders) {
        answer(organizationSlug, okJson(json(Map.of("items", orders, "page", 0, "size", 20, "total", orders.size()))));
    }

    /** sales-service answers this for the organization's active orders. */
    public static void answer(String organizationSlug, ResponseDefinitionBuilder response) {
        server().stubFor(get(urlPathEqualTo(ORDERS_PATH)).withQueryParam("status", equalTo("active"))
                .withQueryParam("organization_slug", equalTo(organizationSlug)).willReturn(response));
    }

    /** An order as sales-service's API shows it (snake_case, the fields of the contract). */
    public static Map<String, Object> order(String organizationSlug, String customerEmail, String status) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", UUID.randomUUID().toString());
        order.put("external_order_id", null);
        order.put("quote_id", "Q-" + UUID.randomUUID().toString().substring(0, 8));
        order.put("status", status);
        order.put("failure_reason", null);
        order.put("source", "quote");
        order.put("customer_email", customerEmail);
        order.put("customer_name", "Jane Doe");
        order.put("company_name", "Example ISP");
        order.put("organization_slug", organizationSlug);
        order.put("region", "eu-west");
        order.put("currency", "USD");
        order.put("billing_cycle", "annual");
        order.put("total_amount", 465.65);
        order.put("services", List.of());
        order.put("tenant_id", UUID.randomUUID().toString());
        order.put("deployment_instance_id", UUID.randomUUID().toString());
        order.put("tenant", null);
        order.put("deployment", null);
        order.put("activations", List.of());
        order.put("created_at", "2026-01-05T10:00:00Z");
        order.put("updated_at", "2026-01-05T10:05:00Z");
        order.put("activated_at", "active".equals(status) ? "2026-01-05T10:05:00Z" : null);
        return order;
    }

    @Override
    protected List<String> clients() {
        return List.of("sales-service");
    }
}
