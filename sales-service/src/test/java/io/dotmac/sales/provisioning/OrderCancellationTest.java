package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.process;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Cancelling an order undoes it, whatever its status: what it provisioned (customer tenant,
 * deployment, service activations) is torn down through the provisioner and kept, marked
 * deprovisioned, and the order is cancelled for good. Over HTTP with real tokens, against the real
 * database, with crm-service and billing-service stood in for.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class OrderCancellationTest {

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @Inject
    WatchedProvisioner provisioner;

    @Inject
    ProvisioningFaults faults;

    @Inject
    Pool database;

    private String paidOrder(Map<String, Object> quote) {
        return SalesApi.paidOrder(token, quote);
    }

    /** An active order for the slug: its tenant, deployment and three activations provisioned. */
    private String activeOrder(String slug) {
        String id = paidOrder(TestQuotes.accepted(slug));
        submit(token, id, true).statusCode(200).body("status", equalTo("active")).body("activations", hasSize(3));
        return id;
    }


    /** The order is cancelled with everything it provisioned torn down: the API's view of it. */
    private static ValidatableResponse tornDown(ValidatableResponse response, int activations) {
        return response.statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("cancelled_at", notNullValue())
                .body("tenant.status", equalTo("deprovisioned"))
                .body("tenant.deprovisioned_at", notNullValue())
                .body("deployment.status", equalTo("deprovisioned"))
                .body("deployment.deprovisioned_at", notNullValue())
                .body("activations", hasSize(activations))
                .body("activations.status", everyItem(equalTo("deprovisioned")))
                .body("activations.deprovisioned_at", everyItem(notNullValue()));
    }

    /** The rows stay, marked deprovisioned with the time: the record of what was provisioned. */
    private void rowsKeptDeprovisioned(String id, String slug, int activations) {
        UUID order = UUID.fromString(id);
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1 AND order_id = $2"
                + " AND status = 'deprovisioned' AND deprovisioned_at IS NOT NULL", slug, order));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1"
                + " AND status = 'deprovisioned' AND deprovisioned_at IS NOT NULL", order));
        assertEquals(activations, Rows.count(database, "SELECT count(*) FROM service_activations WHERE order_id = $1"
                + " AND status = 'deprovisioned' AND deprovisioned_at IS NOT NULL", order));
        assertEquals(activations, Rows.count(database, "SELECT count(*) FROM service_activations WHERE order_id = $1", order));
    }

    @Test
    void cancellingAnActiveOrderTearsDownWhatItProvisionedOnceAndAgainChangesNothing() {
        String slug = TestQuotes.slug();
        String id = activeOrder(slug);
        JsonPath active = get(token, ORDERS + "/" + id).statusCode(200).extract().jsonPath();

        tornDown(cancel(token, id), 3)
                .body("tenant_id", equalTo(active.getString("tenant_id")))
                .body("tenant.slug", equalTo(slug))
                .body("deployment_instance_id", equalTo(active.getString("deployment_instance_id")))
                .body("deployment.endpoint_url", equalTo("https://" + slug + ".tenants.test"))
                .body("activated_at", notNullValue())
                // what happened before stays: the activations were completed, once each
                .body("activations.completed_at", everyItem(notNullValue()))
                .body("activations.attempts", everyItem(equalTo(1)));
        rowsKeptDeprovisioned(id, slug, 3);
        assertEquals(List.of("tenant", "deployment", "activate isp-core", "activate billing-suite", "activate support-desk",
                WatchedProvisioner.DEPROVISION), provisioner.callsFor(slug));

        // Cancelling again (the engine's compensation retried, an operator's second click): 200, unchanged.
        JsonPath cancelled = get(token, ORDERS + "/" + id).statusCode(200).extract().jsonPath();
        JsonPath again = tornDown(cancel(token, id), 3).extract().jsonPath();
        for (String field : List.of("updated_at", "cancelled_at", "tenant.deprovisioned_at", "deployment.deprovisioned_at",
                "activations.deprovisioned_at")) {
            assertEquals(cancelled.getString(field), again.getString(field), field);
        }
        assertEquals(1, provisioner.teardownsOf(slug));
    }

    @Test
    void cancellingAnOrderWhoseActivationFailedTearsDownWhatWasMade() {
        String slug = TestQuotes.slug();
        String flaky = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        String id = paidOrder(TestQuotes.accepted(slug, List.of(
                TestQuotes.item("isp-core", "ISP Core Platform", 1, "299.00"),
                TestQuotes.item(flaky, "Flaky Add-on", 1, "10.00"))));
        faults.failActivationsOf(Set.of(flaky));
        try {
            // What the journey's submit step gets: 502, retryable, until its retries run out.
            submit(token, id, true).statusCode(502).contentType("application/problem+json")
                    .body("detail", containsString("Order " + id + " failed: activation of " + flaky + " failed: set to fail"))
                    .body("detail", containsString("resumes where it stopped"));
        } finally {
            faults.failActivationsOf(Set.of());
        }
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("failed"))
                .body("activations.status", contains("completed", "failed"));

        tornDown(cancel(token, id), 2)
                .body("failure_reason", containsString("activation of " + flaky + " failed"))
                .body("activations.service_code", contains("isp-core", flaky))
                .body("activations[0].completed_at", notNullValue())
                .body("activations[1].completed_at", nullValue())
                .body("activations[1].error", containsString("set to fail"));
        rowsKeptDeprovisioned(id, slug, 2);
        assertEquals(List.of("tenant", "deployment", "activate isp-core", "activate " + flaky, WatchedProvisioner.DEPROVISION),
                provisioner.callsFor(slug));
    }

    @Test
    void anOrderNotProvisionedYetIsCancelledWithNothingRecordedToTearDown() {
        String draftSlug = TestQuotes.slug();
        String draft = paidOrder(TestQuotes.accepted(draftSlug));
        String submittedSlug = TestQuotes.slug();
        String submitted = paidOrder(TestQuotes.accepted(submittedSlug));
        submit(token, submitted, false).statusCode(200).body("status", equalTo("submitted"));
        // Processing that stopped before it provisioned anything (the service went down meanwhile).
        String interruptedSlug = TestQuotes.slug();
        String interrupted = paidOrder(TestQuotes.accepted(interruptedSlug));
        submit(token, interrupted, false).statusCode(200);
        database.preparedQuery("UPDATE orders SET status = 'processing' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(interrupted))).await().atMost(Duration.ofSeconds(10));
        get(token, ORDERS + "/" + interrupted).statusCode(200).body("status", equalTo("processing"));

        for (String id : List.of(draft, submitted, interrupted)) {
            cancel(token, id).statusCode(200)
                    .body("status", equalTo("cancelled"))
                    .body("cancelled_at", notNullValue())
                    .body("tenant", nullValue())
                    .body("deployment", nullValue())
                    .body("activations", empty());
        }
        for (String slug : List.of(draftSlug, submittedSlug)) {
            assertEquals(List.of(), provisioner.callsFor(slug), "the provisioner was asked about " + slug);
        }
        // An attempt may have made something before it could record it: the provisioner tears down whatever there is.
        assertEquals(List.of(WatchedProvisioner.DEPROVISION), provisioner.callsFor(interruptedSlug));
    }

    @Test
    void concurrentCancelsTearDownOnce() {
        String slug = TestQuotes.slug();
        String id = activeOrder(slug);

        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> cancel(token, id).extract(), callers)).toList();
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.join();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals("cancelled", response.path("status"));
                assertEquals("deprovisioned", response.path("tenant.status"));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(1, provisioner.teardownsOf(slug), provisioner.callsFor(slug).toString());
        rowsKeptDeprovisioned(id, slug, 3);
    }

    @Test
    void aCancelledOrderIsNeitherSubmittedNorProcessedAgain() {
        String slug = TestQuotes.slug();
        String id = activeOrder(slug);
        tornDown(cancel(token, id), 3);

        submit(token, id, true).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Order " + id + " is cancelled: it cannot be submitted"));
        submit(token, id, false).statusCode(409).body("detail", containsString("is cancelled"));
        as(token).header("Idempotency-Key", "exec-" + id + ":submit_order").contentType(ContentType.JSON)
                .body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit")
                .then().statusCode(409).body("detail", containsString("is cancelled"));
        process(token, id).statusCode(409).body("detail", containsString("Order " + id + " is cancelled: it cannot be processed"));

        tornDown(get(token, ORDERS + "/" + id), 3).body("activations.attempts", everyItem(equalTo(1)));
        assertEquals(WatchedProvisioner.DEPROVISION, provisioner.callsFor(slug).get(provisioner.callsFor(slug).size() - 1),
                "nothing provisioned after the teardown");
    }

    @Test
    void aCancelWhileTheOrderIsBeingProcessedEndsTheProcessing() throws Exception {
        String slug = TestQuotes.slug();
        String slow = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        String id = paidOrder(TestQuotes.accepted(slug, List.of(
                TestQuotes.item(slow, "Slow Add-on", 1, "10.00"),
                TestQuotes.item("isp-core", "ISP Core Platform", 1, "299.00"))));
        WatchedProvisioner.Hold hold = provisioner.hold(slow);

        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            var processing = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract(), callers);
            hold.awaitReached(); // the processing is in its first activation, holding the order's lock
            var cancelling = CompletableFuture.supplyAsync(() -> cancel(token, id).extract(), callers);
            await().atMost(Duration.ofSeconds(10)).until(() -> Rows.count(database, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0);
            hold.release();

            ExtractableResponse<Response> cancelled = cancelling.get(30, TimeUnit.SECONDS);
            ExtractableResponse<Response> processed = processing.get(30, TimeUnit.SECONDS);
            assertEquals(200, cancelled.statusCode(), cancelled.asString());
            assertEquals("cancelled", cancelled.path("status"));
            List<String> calls = provisioner.callsFor(slug);
            if (processed.statusCode() == 409) {
                // The cancel had the order first: the processing stopped at its next part, before the second activation.
                assertTrue(processed.asString().contains("Order " + id + " is cancelled: it cannot be processed"), processed.asString());
                assertFalse(calls.contains("activate isp-core"), calls.toString());
                get(token, ORDERS + "/" + id).statusCode(200).body("activated_at", nullValue());
            } else {
                // The processing had it first and finished; the cancel then tore down all of it.
                assertEquals(200, processed.statusCode(), processed.asString());
                assertEquals("active", processed.path("status"));
            }
            assertEquals(1, provisioner.teardownsOf(slug));
            assertEquals(WatchedProvisioner.DEPROVISION, calls.get(calls.size() - 1), "provisioned after the teardown: " + calls);
        } finally {
            hold.release();
            callers.shutdownNow();
        }
        get(token, ORDERS + "/" + id).statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("tenant.status", equalTo("deprovisioned"))
                .body("deployment.status", equalTo("deprovisioned"))
                .body("activations.status", everyItem(equalTo("deprovisioned")));
    }

    @Test
    void aReaderCannotCancelAndAnotherTenantDoesNotFindTheOrder() {
        String slug = TestQuotes.slug();
        String id = activeOrder(slug);

        cancel(TestTokens.token(tenant, "reader"), id).statusCode(403);
        cancel(TestTokens.engine("other-" + UUID.randomUUID().toString().substring(0, 8)), id)
                .statusCode(404).contentType("application/problem+json");
        get(token, ORDERS + "/" + id).statusCode(200)
                .body("status", equalTo("active"))
                .body("cancelled_at", nullValue())
                .body("tenant.status", equalTo("active"))
                .body("deployment.status", equalTo("running"))
                .body("activations.status", everyItem(equalTo("completed")));
        assertEquals(0, provisioner.teardownsOf(slug));

        // An operator may cancel it.
        tornDown(cancel(TestTokens.token(tenant, "operator"), id), 3);
    }
}
