package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.TENANTS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.reinstateTenant;
import static io.dotmac.sales.testing.SalesApi.submit;
import static io.dotmac.sales.testing.SalesApi.suspendTenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Dunning's suspension of a customer tenant, by the quote its order was made from, and its
 * reinstatement: over HTTP with real tokens, against the real database, with crm-service and
 * billing-service stood in for.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class TenantSuspensionTest {

    static final String REASON = "invoice in_123 unpaid past its grace";

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @Inject
    Pool database;

    /** An active order, its customer tenant provisioned. */
    private record Active(String quoteId, String slug, String orderId) {
    }

    private Active activeOrder() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = SalesApi.paidOrder(token, quote);
        submit(token, id, true).statusCode(200).body("status", equalTo("active")).body("tenant.status", equalTo("active"));
        return new Active((String) quote.get("id"), slug, id);
    }

    private long tenantRows(String slug, String condition) {
        return Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1 AND " + condition, slug);
    }

    private static ExtractableResponse<Response> withKey(String token, String change, String key, String quoteId) {
        return as(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(Map.of("quote_id", quoteId))
                .when().post(TENANTS + "/" + change).then().extract();
    }

    @Test
    void anActiveTenantIsSuspendedAndReinstatedAndRepeatingEitherChangesNothing() {
        Active order = activeOrder();
        String quoteId = order.quoteId();
        String slug = order.slug();
        String orderId = order.orderId();
        double suspensions = Metrics.funnel("suspended");

        String suspendedAt = suspendTenant(token, quoteId, REASON).statusCode(200)
                .body("quote_id", equalTo(quoteId))
                .body("order_id", equalTo(orderId))
                .body("slug", equalTo(slug))
                .body("status", equalTo("suspended"))
                .body("suspended_at", notNullValue())
                .body("suspension_reason", equalTo(REASON))
                .body("changed", equalTo(true))
                .extract().path("suspended_at");
        assertEquals(1, tenantRows(slug, "status = 'suspended' AND suspended_at IS NOT NULL AND suspension_reason = '"
                + REASON + "'"));
        assertEquals(suspensions + 1, Metrics.funnel("suspended"));
        // The order shows it; its deployment stays.
        get(token, ORDERS + "/" + orderId).statusCode(200)
                .body("status", equalTo("active"))
                .body("tenant.status", equalTo("suspended"))
                .body("tenant.suspended_at", notNullValue())
                .body("deployment.status", equalTo("running"));

        // Again (the engine retried its step), spelled in upper case: unchanged, not counted again.
        String again = suspendTenant(token, quoteId.toUpperCase(Locale.ROOT), "another reason").statusCode(200)
                .body("status", equalTo("suspended"))
                .body("suspension_reason", equalTo(REASON))
                .body("changed", equalTo(false))
                .extract().path("suspended_at");
        assertEquals(OffsetDateTime.parse(suspendedAt).toInstant(), OffsetDateTime.parse(again).toInstant());
        assertEquals(suspensions + 1, Metrics.funnel("suspended"));

        reinstateTenant(token, quoteId).statusCode(200)
                .body("quote_id", equalTo(quoteId))
                .body("order_id", equalTo(orderId))
                .body("slug", equalTo(slug))
                .body("status", equalTo("active"))
                .body("suspended_at", nullValue())
                .body("suspension_reason", nullValue())
                .body("changed", equalTo(true));
        assertEquals(1, tenantRows(slug, "status = 'active' AND suspended_at IS NULL AND suspension_reason IS NULL"));
        reinstateTenant(token, quoteId).statusCode(200).body("status", equalTo("active")).body("changed", equalTo(false));
        get(token, ORDERS + "/" + orderId).statusCode(200)
                .body("tenant.status", equalTo("active"))
                .body("tenant.suspended_at", nullValue());

        // Suspended again later, without a reason.
        suspendTenant(token, quoteId, null).statusCode(200)
                .body("status", equalTo("suspended")).body("suspension_reason", nullValue()).body("changed", equalTo(true));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() {
        Active order = activeOrder();
        String key = "exec-" + UUID.randomUUID() + ":suspend_customer";

        ExtractableResponse<Response> first = withKey(token, "suspend", key, order.quoteId());
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(true, first.path("changed"));
        ExtractableResponse<Response> replayed = withKey(token, "suspend", key, order.quoteId());
        assertEquals(200, replayed.statusCode(), replayed.asString());
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(true, replayed.path("changed"));
        assertEquals((String) first.path("suspended_at"), replayed.path("suspended_at"));
    }

    @Test
    void concurrentSuspensionsTakeTurnsAndOneOfThemSuspends() {
        Active order = activeOrder();
        double suspensions = Metrics.funnel("suspended");

        ExecutorService callers = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = IntStream.range(0, 5)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> withKey(token, "suspend", "exec-" + UUID.randomUUID() + ":suspend_customer", order.quoteId()),
                            callers))
                    .toList();
            int changed = 0;
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.join();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals("suspended", response.path("status"));
                if (Boolean.TRUE.equals(response.path("changed"))) {
                    changed++;
                }
            }
            assertEquals(1, changed, "calls that suspended the tenant");
        } finally {
            callers.shutdownNow();
        }
        assertEquals(suspensions + 1, Metrics.funnel("suspended"));
        assertEquals(1, tenantRows(order.slug(), "status = 'suspended'"));
    }

    @Test
    void anUnknownQuoteOrAnotherTenantsIsNotFound() {
        suspendTenant(token, UUID.randomUUID().toString(), REASON).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("No order of quote"));
        reinstateTenant(token, UUID.randomUUID().toString()).statusCode(404).contentType("application/problem+json");

        Active order = activeOrder();
        String other = TestTokens.engine("other-" + UUID.randomUUID().toString().substring(0, 8));
        suspendTenant(other, order.quoteId(), REASON).statusCode(404).contentType("application/problem+json");
        reinstateTenant(other, order.quoteId()).statusCode(404).contentType("application/problem+json");
        assertEquals(1, tenantRows(order.slug(), "status = 'active' AND suspended_at IS NULL"));
    }

    @Test
    void anOrderWithoutACustomerTenantIsAConflict() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        String quoteId = (String) quote.get("id");
        String id = SalesApi.paidOrder(token, quote);

        suspendTenant(token, quoteId, REASON).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Order " + id + " of quote " + quoteId + " is draft and has provisioned "
                        + "no customer tenant yet: there is none to suspend"));
        reinstateTenant(token, quoteId).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("none to reinstate"));
    }

    @Test
    void aDeprovisionedTenantIsAConflict() {
        Active order = activeOrder();
        String slug = order.slug();
        suspendTenant(token, order.quoteId(), REASON).statusCode(200).body("changed", equalTo(true));
        // A suspended customer's order may still be cancelled, which tears its tenant down.
        cancel(token, order.orderId()).statusCode(200).body("tenant.status", equalTo("deprovisioned"))
                .body("tenant.suspended_at", notNullValue());

        suspendTenant(token, order.quoteId(), REASON).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Customer tenant " + slug + " is deprovisioned: it cannot be suspended"));
        reinstateTenant(token, order.quoteId()).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Customer tenant " + slug + " is deprovisioned: it cannot be reinstated"));
        assertEquals(1, tenantRows(slug, "status = 'deprovisioned'"));
    }

    @Test
    void readersMayNotAndATokenIsNeeded() {
        Active order = activeOrder();
        String reader = TestTokens.token(tenant, "reader");

        suspendTenant(reader, order.quoteId(), REASON).statusCode(403);
        reinstateTenant(reader, order.quoteId()).statusCode(403);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("quote_id", order.quoteId()))
                .when().post(TENANTS + "/suspend").then().statusCode(401);
        assertEquals(1, tenantRows(order.slug(), "status = 'active'"));

        // People with the operator or admin role may.
        suspendTenant(TestTokens.token(tenant, "operator"), order.quoteId(), REASON).statusCode(200).body("changed", equalTo(true));
        reinstateTenant(TestTokens.token(tenant, "admin"), order.quoteId()).statusCode(200).body("changed", equalTo(true));
    }

    @Test
    void aBadBodyIsRefused() {
        as(token).contentType(ContentType.JSON).body("{}").when().post(TENANTS + "/suspend")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("quote_id"));
        as(token).contentType(ContentType.JSON).body(Map.of("quote_id", "  ")).when().post(TENANTS + "/reinstate")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("quote_id"));
        as(token).contentType(ContentType.JSON).body(Map.of("quote_id", "q".repeat(101))).when().post(TENANTS + "/suspend")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("quote_id"));
        suspendTenant(token, UUID.randomUUID().toString(), "r".repeat(501)).statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("reason"));
    }
}
