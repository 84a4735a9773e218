package io.dotmac.sales;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.rest.Problem;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.SalesApi.ActiveOrder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, an order made from a paid quote (201) and provisioned
 * (200), its customer tenant suspended (200, TenantStatusChangeDto) and a refusal's problem (4xx), as
 * well as a read. crm-service and billing-service are the stub the order tests use.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(PeerServicesStub.class)
class SalesServiceIT {

    final String token = TestTokens.engine("it-" + UUID.randomUUID());

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void ordersSuspendsReadsAndRefusesWithAProblem() {
        // A paid order of a new quote (201), submitted and processed (200): its customer tenant is active.
        ActiveOrder order = SalesApi.activeOrder(token);

        SalesApi.suspendTenant(token, order.quoteId(), "invoice in_it unpaid").statusCode(200)
                .body("quote_id", equalTo(order.quoteId())).body("order_id", equalTo(order.orderId()))
                .body("slug", equalTo(order.slug())).body("status", equalTo("suspended"))
                .body("holds", equalTo(List.of("operator"))).body("changed", equalTo(true));
        SalesApi.tenantOf(token, order.quoteId()).statusCode(200).body("status", equalTo("suspended"));

        SalesApi.suspendTenant(token, UUID.randomUUID().toString(), null)
                .statusCode(404).contentType(Problem.MEDIA_TYPE).body("status", equalTo(404))
                .body("detail", containsString("No order of quote"));
    }
}
