package io.dotmac.sales.provisioning.kubernetes;

import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.paidOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.LicensingStub;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code OrderProcessingTest}'s orders at once, more than the database pool has connections, with
 * the Kubernetes provisioner: its calls leave the event loop and come back to each order's
 * transaction, and its waits hold no thread, while the test plays the Deployment controller.
 */
@QuarkusTest
@TestProfile(KubernetesProvisioning.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(PeerServicesStub.class)
@QuarkusTestResource(value = LicensingStub.class, restrictToAnnotatedClass = true)
class KubernetesOrderProcessingTest {

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    Pool database;

    @Test
    void moreOrdersAtOnceThanThePoolHasConnectionsAllBecomeActive() throws Exception {
        // Twelve submits with auto_activate at once on the test pool of four connections, three
        // services each: thirty-six Deployments waited for.
        List<String> slugs = IntStream.range(0, 12).mapToObj(i -> TestQuotes.slug()).toList();
        List<String> ids = slugs.stream().map(slug -> paidOrder(token, TestQuotes.accepted(slug))).toList();
        TestCluster cluster = new TestCluster(server.getClient());

        ExecutorService callers = Executors.newFixedThreadPool(ids.size());
        try (AutoCloseable controller = cluster.rollingOutEverything()) {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = ids.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> as(token).header("Idempotency-Key", "exec-" + id + ":submit_order")
                            .contentType(ContentType.JSON).body("{\"auto_activate\": true}")
                            .when().post(ORDERS + "/" + id + "/submit").then().extract(), callers))
                    .toList();
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.join();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals("active", response.path("status"));
            }
        } finally {
            callers.shutdownNow();
        }
        for (int i = 0; i < ids.size(); i++) {
            UUID id = UUID.fromString(ids.get(i));
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE order_id = $1", id));
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", id));
            assertEquals(3, server.getClient().apps().deployments().inNamespace("tenant-" + slugs.get(i)).list().getItems().size());
        }
    }
}
