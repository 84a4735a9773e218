package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.TENANTS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.changeHold;
import static io.dotmac.sales.testing.SalesApi.deprovisionTenant;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.reinstateTenant;
import static io.dotmac.sales.testing.SalesApi.suspendTenant;
import static io.dotmac.sales.testing.SalesApi.tenantOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.SalesApi.ActiveOrder;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * The holds put on and lifted from a customer tenant, by the quote its order was made from (dunning's
 * for an unpaid invoice, an operator's), which keep it suspended while any is on it, and its teardown
 * once the subscription ended (which cancels the order): over HTTP with real tokens, against the real
 * database, with crm-service and billing-service stood in for.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class TenantSuspensionTest {

    static final String REASON = "invoice in_123 unpaid past its grace";
    // In the order they sort by.
    static final String INVOICE_A = "invoice:in_a" + UUID.randomUUID().toString().replace("-", "");
    static final String INVOICE_B = "invoice:in_b" + UUID.randomUUID();

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @Inject
    Pool database;

    @Inject
    WatchedProvisioner provisioner;

    private ActiveOrder activeOrder() {
        return SalesApi.activeOrder(token);
    }

    private long tenantRows(String slug, String condition) {
        return Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1 AND " + condition, slug);
    }

    private static ExtractableResponse<Response> withKey(String token, String change, String key, Map<String, String> body) {
        return as(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post(TENANTS + "/" + change).then().extract();
    }

    /** The change asked five times at once, each under its own Idempotency-Key: how many calls made it; all answer 200 with {@code status}. */
    private int changedByConcurrentCalls(String change, Map<String, String> body, String status) {
        ExecutorService callers = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = IntStream.range(0, 5)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> withKey(token, change, "exec-" + UUID.randomUUID() + ":" + change + "_customer", body),
                            callers))
                    .toList();
            int changed = 0;
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.join();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(status, response.path("status"));
                if (Boolean.TRUE.equals(response.path("changed"))) {
                    changed++;
                }
            }
            return changed;
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anActiveTenantIsSuspendedAndReinstatedAndRepeatingEitherChangesNothing() {
        ActiveOrder order = activeOrder();
        String quoteId = order.quoteId();
        String slug = order.slug();
        String orderId = order.orderId();
        double suspensions = Metrics.funnel("suspended");

        // No hold named: the operator's.
        String suspendedAt = suspendTenant(token, quoteId, REASON).statusCode(200)
                .body("quote_id", equalTo(quoteId))
                .body("order_id", equalTo(orderId))
                .body("slug", equalTo(slug))
                .body("status", equalTo("suspended"))
                .body("holds", equalTo(List.of("operator")))
                .body("suspended_at", notNullValue())
                .body("changed", equalTo(true))
                .extract().path("suspended_at");
        assertEquals(1, tenantRows(slug, "status = 'suspended' AND suspended_at IS NOT NULL"));
        assertEquals(List.of("operator: " + REASON), holdRows(slug));
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
                .body("holds", equalTo(List.of("operator")))
                .body("changed", equalTo(false))
                .extract().path("suspended_at");
        assertEquals(OffsetDateTime.parse(suspendedAt).toInstant(), OffsetDateTime.parse(again).toInstant());
        assertEquals(suspensions + 1, Metrics.funnel("suspended"));
        assertEquals(List.of("operator: " + REASON), holdRows(slug));

        reinstateTenant(token, quoteId).statusCode(200)
                .body("quote_id", equalTo(quoteId))
                .body("order_id", equalTo(orderId))
                .body("slug", equalTo(slug))
                .body("status", equalTo("active"))
                .body("holds", empty())
                .body("suspended_at", nullValue())
                .body("changed", equalTo(true));
        assertEquals(1, tenantRows(slug, "status = 'active' AND suspended_at IS NULL"));
        assertEquals(List.of(), holdRows(slug));
        reinstateTenant(token, quoteId).statusCode(200).body("status", equalTo("active")).body("changed", equalTo(false));
        get(token, ORDERS + "/" + orderId).statusCode(200)
                .body("tenant.status", equalTo("active"))
                .body("tenant.suspended_at", nullValue());

        // Suspended again later, without a reason.
        suspendTenant(token, quoteId, null).statusCode(200)
                .body("status", equalTo("suspended")).body("changed", equalTo(true));
        assertEquals(List.of("operator: null"), holdRows(slug));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() {
        ActiveOrder order = activeOrder();
        String key = "exec-" + UUID.randomUUID() + ":suspend_customer";

        ExtractableResponse<Response> first = withKey(token, "suspend", key, Map.of("quote_id", order.quoteId()));
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(true, first.path("changed"));
        ExtractableResponse<Response> replayed = withKey(token, "suspend", key, Map.of("quote_id", order.quoteId()));
        assertEquals(200, replayed.statusCode(), replayed.asString());
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(true, replayed.path("changed"));
        assertEquals((String) first.path("suspended_at"), replayed.path("suspended_at"));
    }

    @Test
    void concurrentSuspensionsTakeTurnsAndOneOfThemSuspends() {
        ActiveOrder order = activeOrder();
        double suspensions = Metrics.funnel("suspended");

        assertEquals(1, changedByConcurrentCalls("suspend", Map.of("quote_id", order.quoteId()), "suspended"), "calls that suspended the tenant");
        assertEquals(suspensions + 1, Metrics.funnel("suspended"));
        assertEquals(1, tenantRows(order.slug(), "status = 'suspended'"));
    }

    @Test
    void anUnknownQuoteOrAnotherTenantsIsNotFound() {
        suspendTenant(token, UUID.randomUUID().toString(), REASON).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("No order of quote"));
        reinstateTenant(token, UUID.randomUUID().toString()).statusCode(404).contentType("application/problem+json");

        ActiveOrder order = activeOrder();
        String other = TestTokens.engine("other-" + UUID.randomUUID().toString().substring(0, 8));
        suspendTenant(other, order.quoteId(), REASON).statusCode(404).contentType("application/problem+json");
        reinstateTenant(other, order.quoteId()).statusCode(404).contentType("application/problem+json");
        deprovisionTenant(other, order.quoteId()).statusCode(404).contentType("application/problem+json");
        deprovisionTenant(token, UUID.randomUUID().toString()).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("No order of quote"));
        assertEquals(1, tenantRows(order.slug(), "status = 'active' AND suspended_at IS NULL"));
        get(token, ORDERS + "/" + order.orderId()).statusCode(200).body("status", equalTo("active"));
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
    void aDeprovisionedTenantIsNotSuspendedAgainAndLiftingItsHoldsIsNoError() {
        ActiveOrder order = activeOrder();
        String slug = order.slug();
        suspendTenant(token, order.quoteId(), REASON).statusCode(200).body("changed", equalTo(true));
        // A suspended customer's order may still be cancelled, which tears its tenant down.
        cancel(token, order.orderId()).statusCode(200).body("tenant.status", equalTo("deprovisioned"))
                .body("tenant.suspended_at", notNullValue());

        suspendTenant(token, order.quoteId(), REASON).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Customer tenant " + slug + " is deprovisioned: it cannot be suspended"));
        changeHold(token, "suspend", order.quoteId(), INVOICE_A).statusCode(409);
        // The engine lifts an invoice's hold after every paid renewal: nothing to lift is no error.
        changeHold(token, "reinstate", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("deprovisioned")).body("holds", equalTo(List.of("operator"))).body("changed", equalTo(false));
        reinstateTenant(token, order.quoteId()).statusCode(200)
                .body("status", equalTo("deprovisioned")).body("holds", empty()).body("changed", equalTo(true));
        reinstateTenant(token, order.quoteId()).statusCode(200).body("changed", equalTo(false));
        assertEquals(1, tenantRows(slug, "status = 'deprovisioned'"));
    }

    /** The order is cancelled, with everything it provisioned torn down once. */
    private void tornDown(ActiveOrder order) {
        get(token, ORDERS + "/" + order.orderId()).statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("tenant.status", equalTo("deprovisioned"))
                .body("deployment.status", equalTo("deprovisioned"))
                .body("activations.status", everyItem(equalTo("deprovisioned")));
        assertEquals(1, tenantRows(order.slug(), "status = 'deprovisioned' AND deprovisioned_at IS NOT NULL"));
        assertEquals(1, provisioner.teardownsOf(order.slug()));
    }

    @Test
    void anActiveTenantIsDeprovisionedByCancellingItsOrderOnce() {
        ActiveOrder order = activeOrder();

        deprovisionTenant(token, order.quoteId()).statusCode(200)
                .body("quote_id", equalTo(order.quoteId()))
                .body("order_id", equalTo(order.orderId()))
                .body("slug", equalTo(order.slug()))
                .body("status", equalTo("deprovisioned"))
                .body("suspended_at", nullValue())
                .body("changed", equalTo(true));
        tornDown(order);

        // Again (the engine retried its step), spelled in upper case: the order is cancelled already.
        deprovisionTenant(token, order.quoteId().toUpperCase(Locale.ROOT)).statusCode(200)
                .body("status", equalTo("deprovisioned")).body("changed", equalTo(false));
        cancel(token, order.orderId()).statusCode(200).body("status", equalTo("cancelled"));
        tornDown(order);
    }

    @Test
    void aSuspendedTenantIsDeprovisioned() {
        ActiveOrder order = activeOrder();
        suspendTenant(token, order.quoteId(), REASON).statusCode(200).body("changed", equalTo(true));

        // A customer who never paid: the suspension stays on record.
        deprovisionTenant(TestTokens.token(tenant, "operator"), order.quoteId()).statusCode(200)
                .body("status", equalTo("deprovisioned"))
                .body("suspended_at", notNullValue())
                .body("holds", equalTo(List.of("operator")))
                .body("changed", equalTo(true));
        tornDown(order);
    }

    @Test
    void anOrderCancelledAlreadyIsNotChangedAgain() {
        ActiveOrder order = activeOrder();
        cancel(token, order.orderId()).statusCode(200).body("status", equalTo("cancelled"));

        deprovisionTenant(TestTokens.token(tenant, "admin"), order.quoteId()).statusCode(200)
                .body("slug", equalTo(order.slug())).body("status", equalTo("deprovisioned")).body("changed", equalTo(false));
        tornDown(order);
    }

    @Test
    void concurrentDeprovisioningsTakeTurnsAndOneOfThemTearsDown() {
        ActiveOrder order = activeOrder();

        assertEquals(1, changedByConcurrentCalls("deprovision", Map.of("quote_id", order.quoteId()), "deprovisioned"), "calls that cancelled the order");
        tornDown(order);
    }

    @Test
    void anOrderWithoutACustomerTenantIsCancelledAllTheSame() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        String id = SalesApi.paidOrder(token, quote);

        deprovisionTenant(token, (String) quote.get("id")).statusCode(200)
                .body("order_id", equalTo(id))
                .body("slug", nullValue())
                .body("status", nullValue())
                .body("holds", nullValue())
                .body("changed", equalTo(true));
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("cancelled")).body("tenant", nullValue());
    }

    @Test
    void readersMayNotAndATokenIsNeeded() {
        ActiveOrder order = activeOrder();
        String reader = TestTokens.token(tenant, "reader");

        suspendTenant(reader, order.quoteId(), REASON).statusCode(403);
        reinstateTenant(reader, order.quoteId()).statusCode(403);
        deprovisionTenant(reader, order.quoteId()).statusCode(403).contentType("application/problem+json");
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("quote_id", order.quoteId()))
                .when().post(TENANTS + "/suspend").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("quote_id", order.quoteId()))
                .when().post(TENANTS + "/deprovision").then().statusCode(401);
        assertEquals(1, tenantRows(order.slug(), "status = 'active'"));
        assertEquals(0, provisioner.teardownsOf(order.slug()));

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
        as(token).contentType(ContentType.JSON).body("{}").when().post(TENANTS + "/deprovision")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("quote_id"));
    }

    @Test
    void aBadHoldIsRefused() {
        ActiveOrder order = activeOrder();
        for (String hold : List.of("", "Operator", "invoice:", "invoice:in 1", "9lives", "invoice:" + "x".repeat(81), "a:b:c",
                "h".repeat(101))) {
            for (String change : List.of("suspend", "reinstate")) {
                changeHold(token, change, order.quoteId(), hold).statusCode(400).contentType("application/problem+json")
                        .body("detail", containsString("hold"));
            }
        }
        assertEquals(1, tenantRows(order.slug(), "status = 'active'"));
        changeHold(token, "suspend", order.quoteId(), "chargeback_review:" + "X-_9".repeat(20)).statusCode(200)
                .body("changed", equalTo(true));
    }

    @Test
    void aPaidInvoiceLiftsOnlyItsOwnHoldAndNeverAnOperatorsSuspension() {
        ActiveOrder order = activeOrder();
        double suspensions = Metrics.funnel("suspended");

        changeHold(TestTokens.token(tenant, "operator"), "suspend", order.quoteId(), "operator").statusCode(200)
                .body("changed", equalTo(true));
        // The engine learns its own hold was placed, on a customer suspended already.
        String suspendedAt = changeHold(token, "suspend", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("suspended")).body("holds", equalTo(List.of(INVOICE_A, "operator")))
                .body("changed", equalTo(true)).extract().path("suspended_at");
        assertEquals(suspensions + 1, Metrics.funnel("suspended"), "suspended once");
        tenantOf(TestTokens.token(tenant, "reader"), order.quoteId()).statusCode(200)
                .body("status", equalTo("suspended")).body("holds", equalTo(List.of(INVOICE_A, "operator")))
                .body("suspended_at", equalTo(suspendedAt));

        changeHold(token, "reinstate", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("suspended")).body("holds", equalTo(List.of("operator"))).body("changed", equalTo(true));
        get(token, ORDERS + "/" + order.orderId()).statusCode(200).body("tenant.status", equalTo("suspended"));
        changeHold(token, "reinstate", order.quoteId(), "operator").statusCode(200)
                .body("status", equalTo("active")).body("holds", empty()).body("suspended_at", nullValue()).body("changed", equalTo(true));
        assertEquals(List.of(), holdRows(order.slug()));
    }

    @Test
    void withTwoUnpaidInvoicesPayingOneKeepsTheCustomerSuspended() {
        ActiveOrder order = activeOrder();
        changeHold(token, "suspend", order.quoteId(), INVOICE_A).statusCode(200).body("changed", equalTo(true));
        changeHold(token, "suspend", order.quoteId(), INVOICE_B).statusCode(200).body("changed", equalTo(true));
        assertEquals(List.of(INVOICE_A + ": invoice " + INVOICE_A + " unpaid", INVOICE_B + ": invoice " + INVOICE_B + " unpaid"),
                holdRows(order.slug()));

        changeHold(token, "reinstate", order.quoteId(), INVOICE_B).statusCode(200)
                .body("status", equalTo("suspended")).body("holds", equalTo(List.of(INVOICE_A))).body("changed", equalTo(true));
        changeHold(token, "reinstate", order.quoteId(), INVOICE_B).statusCode(200).body("changed", equalTo(false));
        changeHold(token, "reinstate", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("active")).body("holds", empty()).body("changed", equalTo(true));
        assertEquals(1, tenantRows(order.slug(), "status = 'active' AND suspended_at IS NULL"));
    }

    @Test
    void liftingAHoldThatIsNotThereChangesNothing() {
        ActiveOrder order = activeOrder();
        changeHold(token, "reinstate", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("active")).body("holds", empty()).body("changed", equalTo(false));
        changeHold(token, "suspend", order.quoteId(), INVOICE_B).statusCode(200);
        changeHold(token, "reinstate", order.quoteId(), INVOICE_A).statusCode(200)
                .body("status", equalTo("suspended")).body("holds", equalTo(List.of(INVOICE_B))).body("changed", equalTo(false));
    }

    @Test
    void concurrentCallsPutOneHoldOnce() {
        ActiveOrder order = activeOrder();
        suspendTenant(token, order.quoteId(), REASON).statusCode(200);

        assertEquals(1, changedByConcurrentCalls("suspend", Map.of("quote_id", order.quoteId(), "hold", INVOICE_A), "suspended"),
                "calls that put the invoice's hold on");
        assertEquals(List.of(INVOICE_A + ": null", "operator: " + REASON), holdRows(order.slug()));
    }

    /** The holds stored on the slug's tenant, as "hold: reason", sorted. */
    private List<String> holdRows(String slug) {
        List<String> holds = new ArrayList<>();
        for (Row row : database.preparedQuery("SELECT h.hold, h.reason FROM customer_tenant_holds h JOIN customer_tenants t "
                + "ON t.id = h.customer_tenant_id WHERE t.slug = $1").execute(Tuple.of(slug)).await().indefinitely()) {
            holds.add(row.getString("hold") + ": " + row.getString("reason"));
        }
        return holds.stream().sorted().toList();
    }
}
