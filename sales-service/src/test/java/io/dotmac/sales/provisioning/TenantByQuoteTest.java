package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.TENANTS;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.changeHold;
import static io.dotmac.sales.testing.SalesApi.tenantOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.SalesApi.ActiveOrder;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/sales/tenants/by-quote/{quoteId}: the customer tenant of a quote's order, with the
 * holds that keep it suspended, in the caller's tenant only; over HTTP with real tokens.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class TenantByQuoteTest {

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);
    final String reader = TestTokens.token(tenant, "reader");

    @Test
    void anActiveTenantIsFoundByItsQuoteInAnySpellingAndReadersMayReadIt() {
        ActiveOrder order = SalesApi.activeOrder(token);

        for (String caller : List.of(reader, token, TestTokens.token(tenant, "operator"), TestTokens.token(tenant, "admin"))) {
            tenantOf(caller, order.quoteId().toUpperCase(Locale.ROOT)).statusCode(200)
                    .body("quote_id", equalTo(order.quoteId()))
                    .body("order_id", equalTo(order.orderId()))
                    .body("slug", equalTo(order.slug()))
                    .body("status", equalTo("active"))
                    .body("holds", empty())
                    .body("suspended_at", nullValue())
                    .body("$", not(hasKey("changed")));
        }
    }

    @Test
    void aSuspendedTenantShowsItsHoldsAndATornDownOneItsStatus() {
        ActiveOrder order = SalesApi.activeOrder(token);
        String invoice = "invoice:" + UUID.randomUUID();
        changeHold(token, "suspend", order.quoteId(), invoice).statusCode(200);
        changeHold(token, "suspend", order.quoteId(), "operator").statusCode(200);

        tenantOf(reader, order.quoteId()).statusCode(200)
                .body("status", equalTo("suspended"))
                .body("holds", equalTo(List.of(invoice, "operator")))
                .body("suspended_at", notNullValue());

        cancel(token, order.orderId()).statusCode(200);
        tenantOf(reader, order.quoteId()).statusCode(200)
                .body("status", equalTo("deprovisioned"))
                .body("holds", equalTo(List.of(invoice, "operator")));
    }

    @Test
    void anotherTenantsQuoteAnUnknownOneAndAnOrderWithoutACustomerTenantAreNotFound() {
        ActiveOrder order = SalesApi.activeOrder(token);
        String others = TestTokens.token("other-" + UUID.randomUUID().toString().substring(0, 8), "reader");
        tenantOf(others, order.quoteId()).statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No order of quote " + order.quoteId()));
        String unknown = UUID.randomUUID().toString();
        tenantOf(reader, unknown).statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No order of quote " + unknown));

        // A draft order has provisioned no platform: nothing to keep.
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        String draft = SalesApi.paidOrder(token, quote);
        tenantOf(reader, (String) quote.get("id")).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("Order " + draft + " of quote " + quote.get("id")
                        + " is draft and has provisioned no customer tenant"));
    }

    @Test
    void aTokenIsNeeded() {
        ActiveOrder order = SalesApi.activeOrder(token);
        RestAssured.when().get(TENANTS + "/by-quote/" + order.quoteId()).then().statusCode(401);
    }
}
