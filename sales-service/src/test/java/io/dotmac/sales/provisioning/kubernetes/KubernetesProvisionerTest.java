package io.dotmac.sales.provisioning.kubernetes;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.submitAsStep;
import static io.dotmac.sales.testing.SalesApi.allActive;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.paidOrder;
import static io.dotmac.sales.testing.SalesApi.process;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.order.OrderedService;
import io.dotmac.sales.provisioning.Provisioner;
import io.dotmac.sales.provisioning.ProvisioningSteps;
import io.dotmac.sales.testing.LicensingStub;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.TestQuotes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes provisioner against the Kubernetes test server (CRUD mode: it stores objects and
 * runs no controller), orders driven over the API as the workflow engine does: the objects an
 * order of two products gets, its activations waiting until the test makes each Deployment
 * available, a quota, an image pull and a timeout that fail an activation with Kubernetes' reason, processing
 * again (and every call repeated) making nothing new, a namespace deleted by hand made again, a
 * namespace the provisioner did not make left alone, a cancel deleting the namespace and answering
 * once it is gone, not kept waiting by a rollout, and more orders at once than the pool has connections.
 */
@QuarkusTest
@TestProfile(KubernetesProvisioning.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(PeerServicesStub.class)
@QuarkusTestResource(value = LicensingStub.class, restrictToAnnotatedClass = true)
class KubernetesProvisionerTest {

    static final String CORE = "isp-core";
    static final String DESK = "support-desk";

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    Provisioner provisioner;

    @Inject
    Pool database;

    TestCluster cluster;

    @BeforeEach
    void connect() {
        cluster = new TestCluster(server.getClient());
    }

    @Test
    void anOrderOfTwoProductsGetsItsNamespaceQuotaPoliciesLicensesDeploymentsAndIngress() throws Exception {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = twoProducts(slug);
        String quoteId = (String) quote.get("id");
        LicensingStub.serve(slug, List.of(
                LicensingStub.license(slug, quoteId, DESK, "active", "key-desk"),
                LicensingStub.license(slug, quoteId, CORE, "active", "key-core"),
                LicensingStub.license(slug, quoteId, CORE, "revoked", "key-core-revoked"),
                LicensingStub.license(slug, UUID.randomUUID().toString(), CORE, "active", "key-of-another-quote")));
        String id = paidOrder(token, quote);
        String namespace = "tenant-" + slug;

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        // The activation waits for the Deployment, holding the request: nothing becomes available by itself here.
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("processing"))
                .body("activations.status", contains("pending", "pending"));
        assertFalse(submitted.isDone());
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        assertFalse(submitted.isDone());
        cluster.makeAvailable(namespace, DESK);

        ExtractableResponse<Response> answer = submitted.get();
        assertEquals(200, answer.statusCode(), answer.asString());
        JsonPath order = answer.jsonPath();
        assertEquals("active", order.getString("status"));
        assertEquals("https://" + slug + ".tenants.test", order.getString("deployment.endpoint_url"));
        assertEquals(List.of("completed", "completed"), order.getList("activations.status"));

        var client = cluster.client();
        Namespace tenantNamespace = client.namespaces().withName(namespace).get();
        assertEquals(Map.of("app.kubernetes.io/managed-by", "controlplane-sales",
                "controlplane.dotmac.io/order", id,
                "controlplane.dotmac.io/vendor-tenant", tenant,
                "controlplane.dotmac.io/customer-tenant", order.getString("tenant.id"),
                "controlplane.dotmac.io/region", "eu-west",
                "pod-security.kubernetes.io/enforce", "restricted",
                "pod-security.kubernetes.io/enforce-version", "latest"), tenantNamespace.getMetadata().getLabels());

        // isp-core: 1 x (500m, 512Mi, 1 pod); support-desk: 3 seats x (100m, 128Mi, 0.5 pod) = 2 pods of 150m and 192Mi;
        // and cert-manager's HTTP-01 solver, 1 pod of 100m and 64Mi, while the certificate is issued or renewed.
        Map<String, String> owned = Map.of("app.kubernetes.io/managed-by", "controlplane-sales", "controlplane.dotmac.io/order", id);
        var quota = client.resourceQuotas().inNamespace(namespace).withName("tenant-quota").get();
        assertEquals(owned, quota.getMetadata().getLabels());
        assertEquals(Map.of("pods", new Quantity("4"), "requests.cpu", new Quantity("900m"), "limits.cpu", new Quantity("900m"),
                "requests.memory", new Quantity("960Mi"), "limits.memory", new Quantity("960Mi")), quota.getSpec().getHard());
        LimitRangeItem limits = client.limitRanges().inNamespace(namespace).withName("tenant-limits").get().getSpec().getLimits().get(0);
        assertEquals("Container", limits.getType());
        assertEquals(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")), limits.getMax());
        assertEquals(Map.of("cpu", new Quantity("150m"), "memory", new Quantity("192Mi")), limits.getDefault());
        assertEquals(Map.of("cpu", new Quantity("150m"), "memory", new Quantity("192Mi")), limits.getDefaultRequest());

        NetworkPolicy deny = client.network().v1().networkPolicies().inNamespace(namespace).withName("default-deny-ingress").get();
        assertEquals(List.of("Ingress"), deny.getSpec().getPolicyTypes());
        assertEquals(Map.of(), Map.copyOf(deny.getSpec().getPodSelector().getMatchLabels()));
        assertEquals(List.of(), deny.getSpec().getIngress());
        NetworkPolicy allow = client.network().v1().networkPolicies().inNamespace(namespace).withName("allow-ingress-controller").get();
        var from = allow.getSpec().getIngress().get(0).getFrom();
        assertEquals(Map.of("controlplane.dotmac.io/ingress-controller", "true"), from.get(0).getNamespaceSelector().getMatchLabels());
        assertNotNull(from.get(1).getPodSelector());
        assertEquals(2, client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().size());

        // The quote's licenses, the newest per product, none revoked, none of another quote.
        Secret licenses = client.secrets().inNamespace(namespace).withName("licenses").get();
        assertEquals(owned, licenses.getMetadata().getLabels());
        assertEquals(Map.of(CORE, "key-core", DESK, "key-desk"), decoded(licenses.getData()));

        Deployment core = client.apps().deployments().inNamespace(namespace).withName(CORE).get();
        assertEquals(1, core.getSpec().getReplicas());
        assertEquals(Map.of("app.kubernetes.io/name", CORE), core.getSpec().getSelector().getMatchLabels());
        assertEquals("controlplane-sales", core.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        Container coreContainer = core.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.test/isp-core:1.0", coreContainer.getImage());
        assertEquals(8080, coreContainer.getPorts().get(0).getContainerPort());
        assertEquals(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")), coreContainer.getResources().getLimits());
        assertEquals(coreContainer.getResources().getLimits(), coreContainer.getResources().getRequests());
        assertEquals("licenses", coreContainer.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());
        // Pod Security "restricted", which the namespace enforces; ready once the port takes connections.
        var podSecurity = core.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(true, podSecurity.getRunAsNonRoot());
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType());
        assertEquals(false, coreContainer.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), coreContainer.getSecurityContext().getCapabilities().getDrop());
        assertEquals("http", coreContainer.getReadinessProbe().getTcpSocket().getPort().getStrVal());
        assertEquals(CORE, coreContainer.getEnv().get(0).getValueFrom().getSecretKeyRef().getKey());
        Deployment desk = client.apps().deployments().inNamespace(namespace).withName(DESK).get();
        assertEquals(2, desk.getSpec().getReplicas());
        Container deskContainer = desk.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.test/support-desk:1.0", deskContainer.getImage());
        assertEquals(9000, deskContainer.getPorts().get(0).getContainerPort());
        assertEquals(Map.of("cpu", new Quantity("150m"), "memory", new Quantity("192Mi")), deskContainer.getResources().getLimits());

        for (String code : List.of(CORE, DESK)) {
            Service service = client.services().inNamespace(namespace).withName(code).get();
            assertEquals(Map.of("app.kubernetes.io/name", code), service.getSpec().getSelector());
            assertEquals(80, service.getSpec().getPorts().get(0).getPort());
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }

        Ingress ingress = client.network().v1().ingresses().inNamespace(namespace).withName("platform").get();
        assertEquals(Map.of("cert-manager.io/cluster-issuer", KubernetesProvisioning.ISSUER), ingress.getMetadata().getAnnotations());
        assertEquals(KubernetesProvisioning.INGRESS_CLASS, ingress.getSpec().getIngressClassName());
        assertEquals(List.of(slug + ".tenants.test"), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals("platform-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals(slug + ".tenants.test", ingress.getSpec().getRules().get(0).getHost());
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
        assertEquals(List.of("/", "/" + CORE, "/" + DESK), paths.stream().map(HTTPIngressPath::getPath).toList());
        assertEquals(List.of(CORE, CORE, DESK), paths.stream().map(p -> p.getBackend().getService().getName()).toList());

        // One of each, nothing else.
        assertEquals(List.of("Deployment/" + CORE, "Deployment/" + DESK, "Ingress/platform", "LimitRange/tenant-limits",
                "Namespace/" + namespace, "NetworkPolicy/allow-ingress-controller", "NetworkPolicy/default-deny-ingress",
                "ResourceQuota/tenant-quota", "Secret/licenses", "Service/" + CORE, "Service/" + DESK),
                List.copyOf(cluster.snapshot(namespace).keySet()));
    }

    @Test
    void aQuotaRefusingThePodsFailsTheActivationAndProcessingAgainMakesNothingNew() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, twoProducts(slug));
        String namespace = "tenant-" + slug;
        String refusal = "pods \"support-desk-6d4cf56db6-\" is forbidden: exceeded quota: tenant-quota, requested: requests.cpu=150m,"
                + " used: requests.cpu=800m, limited: requests.cpu=800m";

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        cluster.refuseByQuota(namespace, DESK, refusal);

        ExtractableResponse<Response> failed = submitted.get();
        assertEquals(502, failed.statusCode(), failed.asString());
        get(token, ORDERS + "/" + id).statusCode(200)
                .body("status", equalTo("failed"))
                .body("failure_reason", containsString("activation of support-desk failed"))
                .body("activations.status", contains("completed", "failed"))
                .body("activations[1].error", equalTo("Deployment support-desk: ReplicaFailure (FailedCreate): " + refusal));

        // The quota raised (say): the Deployment's pods are made; processing again only waits for that.
        cluster.makeAvailable(namespace, DESK);
        Map<String, String> made = cluster.snapshot(namespace);
        process(token, id).statusCode(200).body("status", equalTo("active"))
                .body("activations.status", contains("completed", "completed"))
                .body("activations.attempts", contains(1, 2));
        assertNothingNew(made, cluster.snapshot(namespace));
        assertEquals(1, cluster.client().namespaces().withLabel("controlplane.dotmac.io/order", id).list().getItems().size());
    }

    @Test
    void everyCallRepeatedAfterACrashMakesNothingNew() throws Exception {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = twoProducts(slug);
        String id = paidOrder(token, quote);
        String namespace = "tenant-" + slug;
        JsonPath order = activeOrder(id, namespace);
        Map<String, String> made = cluster.snapshot(namespace);

        // A crash after the cluster answered and before the order's part was recorded: the part is asked again.
        UUID orderId = UUID.fromString(id);
        UUID customerTenant = UUID.fromString(order.getString("tenant.id"));
        List<OrderedService> services = List.of(new OrderedService(CORE, "ISP Core Platform", 1),
                new OrderedService(DESK, "Support Desk (per seat)", 3));
        awaited(provisioner.provisionTenant(new Provisioner.TenantSpec(customerTenant, slug, "Acme", orderId, tenant, "eu-west", services)));
        var deployment = awaited(provisioner.provisionDeployment(new Provisioner.DeploymentSpec(UUID.randomUUID(), orderId, customerTenant,
                slug, "eu-west", (String) quote.get("id"), services, new Provisioner.Caller("Bearer " + token))));
        assertEquals("https://" + slug + ".tenants.test", deployment.endpointUrl());
        for (OrderedService service : services) {
            var started = awaited(provisioner.activateService(new Provisioner.ActivationSpec(UUID.randomUUID(), orderId, UUID.randomUUID(),
                    slug, "eu-west", service.serviceCode(), service.quantity())));
            awaited(started.await()); // rolled out already
        }
        assertNothingNew(made, cluster.snapshot(namespace));

        // The tenant's part rolled back after the namespace was made: the next attempt's new customer tenant id is relabelled.
        UUID retried = UUID.randomUUID();
        awaited(provisioner.provisionTenant(new Provisioner.TenantSpec(retried, slug, "Acme", orderId, tenant, "eu-west", services)));
        Namespace relabelled = cluster.client().namespaces().withName(namespace).get();
        assertEquals(retried.toString(), relabelled.getMetadata().getLabels().get("controlplane.dotmac.io/customer-tenant"));
        assertEquals(made.get("Namespace/" + namespace).split("@")[0], relabelled.getMetadata().getUid());
    }

    @Test
    void aPodThatCannotPullItsImageFailsTheActivationWithTheReason() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, TestQuotes.accepted(slug, List.of(TestQuotes.item(CORE, "ISP Core Platform", 1, "299.00"))));
        String namespace = "tenant-" + slug;

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        // A pod of an earlier image that cannot be pulled is going anyway: it ends nothing.
        cluster.podWaiting(namespace, CORE, "-5f6b7c-abcde", "registry.test/isp-core:0.9", "ImagePullBackOff", "Back-off pulling image");
        cluster.podWaiting(namespace, CORE, "ImagePullBackOff", "Back-off pulling image \"registry.test/isp-core:1.0\"");

        assertEquals(502, submitted.get().statusCode());
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("failed"))
                .body("activations[0].status", equalTo("failed"))
                .body("activations[0].error", equalTo("Deployment isp-core: pod isp-core-7d9c5b-x2x4q: container isp-core"
                        + " ImagePullBackOff: Back-off pulling image \"registry.test/isp-core:1.0\""));
    }

    @Test
    void aDeploymentNotAvailableInTimeFailsTheActivationWithWhatItsReplicaSetsAndPodsSay() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, TestQuotes.accepted(slug, List.of(TestQuotes.item(CORE, "ISP Core Platform", 1, "299.00"))));
        String namespace = "tenant-" + slug;
        String refusal = "pods \"isp-core-7d9c5b-\" is forbidden: exceeded quota: tenant-quota";

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        // Neither fails the wait at once: a crash may pass, and the Deployment itself reports nothing here.
        cluster.replicaSetRefusedByQuota(namespace, CORE, refusal);
        cluster.podWaiting(namespace, CORE, "CrashLoopBackOff", "back-off 10s restarting failed container");

        assertEquals(502, submitted.get().statusCode());
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("failed"))
                .body("activations[0].error", equalTo("Deployment isp-core was not available within " + KubernetesProvisioning.WAIT
                        + ": FailedCreate: " + refusal + "; pod isp-core-7d9c5b-x2x4q: container isp-core CrashLoopBackOff:"
                        + " back-off 10s restarting failed container"));
    }

    @Test
    void aNamespaceTheProvisionerDidNotMakeIsLeftAlone() {
        String slug = TestQuotes.slug();
        String namespace = "tenant-" + slug;
        Namespace foreign = cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels("team", "someone-else").endMetadata().build()).create();
        String id = paidOrder(token, twoProducts(slug));

        submit(token, id, true).statusCode(502)
                .body("detail", containsString("namespace " + namespace + " was not made by the control plane"));
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("failed")).body("tenant", nullValue());
        // Cancelling the order it failed tears down nothing: the namespace stays as it was.
        cancel(token, id).statusCode(200).body("status", equalTo("cancelled"));
        Namespace after = cluster.client().namespaces().withName(namespace).get();
        assertEquals(foreign.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(Map.of("team", "someone-else"), after.getMetadata().getLabels());
    }

    @Test
    void cancellingDeletesTheNamespaceAndWaitsUntilItIsGone() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, twoProducts(slug));
        String namespace = "tenant-" + slug;
        JsonPath order = activeOrder(id, namespace);

        cancel(token, id).statusCode(200).body("status", equalTo("cancelled"))
                .body("tenant.status", equalTo("deprovisioned")).body("deployment.status", equalTo("deprovisioned"));
        // The test server deletes at once and cascades nothing: in a cluster, the namespace's contents go with it.
        assertNull(cluster.client().namespaces().withName(namespace).get());

        // Asked again (a cancel whose answer was lost): gone already is done.
        var teardown = awaited(provisioner.deprovision(new Provisioner.DeprovisionSpec(UUID.fromString(id),
                UUID.fromString(order.getString("tenant.id")), UUID.fromString(order.getString("deployment.id")), slug, "eu-west",
                List.of(CORE, DESK))));
        assertEquals(Provisioner.Completion.DONE, teardown);
        cancel(token, id).statusCode(200).body("status", equalTo("cancelled"));
    }

    @Test
    void aCancelIsAnsweredOnceTheNamespaceIsGoneNotBefore() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, twoProducts(slug));
        String namespace = "tenant-" + slug;
        activeOrder(id, namespace);
        // As a cluster's namespace controller does while it deletes what is in it: the namespace stays, terminating.
        cluster.client().namespaces().withName(namespace).edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToFinalizers(TestCluster.FINALIZER).endMetadata().build());

        CompletableFuture<ExtractableResponse<Response>> cancelled = CompletableFuture.supplyAsync(() -> cancel(token, id).extract());
        cluster.awaitTerminating(namespace);
        // The cancel committed before its wait: the order reads cancelled, and nothing holds it meanwhile.
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("cancelled"));
        assertFalse(cancelled.isDone());

        cluster.finishDeleting(namespace);
        ExtractableResponse<Response> answer = cancelled.get(20, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("deprovisioned", answer.path("tenant.status"));
        assertNull(cluster.client().namespaces().withName(namespace).get());
    }

    @Test
    void aCancelWhileAServiceRollsOutIsNotKeptWaitingByIt() throws Exception {
        String slug = TestQuotes.slug();
        String id = paidOrder(token, twoProducts(slug));
        String namespace = "tenant-" + slug;

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        // The activation waits for its Deployment holding neither the order's lock nor a transaction: the cancel goes through.
        cancel(token, id).statusCode(200).body("status", equalTo("cancelled")).body("tenant.status", equalTo("deprovisioned"));
        assertFalse(submitted.isDone());
        // The namespace went with what it held (the test server cascades nothing): the wait ends, and the processing with it.
        cluster.client().apps().deployments().inNamespace(namespace).delete();

        ExtractableResponse<Response> processed = submitted.get(20, TimeUnit.SECONDS);
        assertEquals(409, processed.statusCode(), processed.asString());
        assertTrue(processed.asString().contains("Order " + id + " is cancelled"), processed.asString());
        assertNull(cluster.client().apps().deployments().inNamespace(namespace).withName(DESK).get(), "provisioned after the cancel");
    }

    @Test
    void twoAttemptsWaitingForOneRolloutActivateTheOrderOnce() throws Exception {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = twoProducts(slug);
        String id = paidOrder(token, quote);
        String namespace = "tenant-" + slug;
        submit(token, id, false).statusCode(200).body("status", equalTo("submitted"));

        // An engine's retry while the first call waits: both wait for the same Deployments, neither holding the order.
        var first = CompletableFuture.supplyAsync(() -> process(token, id).extract());
        var second = CompletableFuture.supplyAsync(() -> process(token, id).extract());
        cluster.awaitDeployment(namespace, CORE);
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        cluster.makeAvailable(namespace, DESK);

        for (var call : List.of(first, second)) {
            ExtractableResponse<Response> answer = call.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("active", answer.path("status"));
        }
        get(token, ORDERS + "/" + id).statusCode(200).body("activations.status", contains("completed", "completed"))
                .body("activations.attempts", contains(1, 1));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM outbox_events WHERE topic = $1 AND event_key = $2",
                ProvisioningSteps.ORDER_ACTIVATED, quote.get("id")));
    }

    @Test
    void aDeploymentDeletedWhileItRollsOutEndsTheWait() throws Exception {
        // A test server of its own, whose requests show when the wait watches the Deployment.
        KubernetesMockServer server = TestCluster.serverOfItsOwn();
        try (KubernetesClient client = server.createClient()) {
            String namespace = "tenant-" + TestQuotes.slug();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
            Deployment made = client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                    .withNewMetadata().withName(CORE).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app.kubernetes.io/name", CORE).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", CORE).endMetadata()
                    .withNewSpec().addNewContainer().withName(CORE).withImage("registry.test/isp-core:1.0").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            // A wait far longer than the test's: only the deletion may end it.
            CompletableFuture<Void> rollout = Rollout.watch(client, namespace, CORE, Map.of("app.kubernetes.io/name", CORE),
                    "registry.test/isp-core:1.0", Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                var request = server.takeRequest(1, TimeUnit.SECONDS);
                return request != null && request.getPath().contains("/deployments") && request.getPath().contains("watch=true");
            });
            client.resource(made).delete();

            ExecutionException ended = assertThrows(ExecutionException.class, () -> rollout.get(20, TimeUnit.SECONDS));
            assertEquals("Deployment isp-core was deleted while it rolled out", ended.getCause().getMessage());
        } finally {
            server.destroy();
        }
    }

    @Test
    void aRegionOfAnotherClusterIsProvisionedThereThroughItsKubeconfigContext() throws Exception {
        KubernetesMockServer remote = TestCluster.serverOfItsOwn();
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        String previous = System.getProperty("kubeconfig");
        try (KubernetesClient remoteClient = remote.createClient()) {
            // The context named for the region, not the kubeconfig's current one (this test server's).
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: remote
                        cluster: {server: "%s"}
                      - name: here
                        cluster: {server: "%s"}
                    users:
                      - name: provisioner
                        user: {token: test}
                    contexts:
                      - name: %s
                        context: {cluster: remote, user: provisioner}
                      - name: here
                        context: {cluster: here, user: provisioner}
                    current-context: here
                    """.formatted(remoteClient.getMasterUrl(), cluster.client().getMasterUrl(), KubernetesProvisioning.REMOTE_CONTEXT));
            System.setProperty("kubeconfig", kubeconfig.toString());

            String slug = TestQuotes.slug();
            Map<String, Object> quote = new HashMap<>(TestQuotes.accepted(slug, List.of(TestQuotes.item(CORE, "ISP Core Platform", 1, "299.00"))));
            quote.put("region", "ap-southeast");
            String id = paidOrder(token, quote);
            String namespace = "tenant-" + slug;
            TestCluster there = new TestCluster(remoteClient);
            var submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
            there.awaitDeployment(namespace, CORE);
            there.makeAvailable(namespace, CORE);
            ExtractableResponse<Response> answer = submitted.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("ap-southeast", remoteClient.namespaces().withName(namespace).get().getMetadata().getLabels()
                    .get("controlplane.dotmac.io/region"));
            assertNull(cluster.client().namespaces().withName(namespace).get(), "provisioned in the in-cluster region's cluster");

            // A region whose context the kubeconfig lacks fails, rather than provisioning in the current context's cluster.
            String elsewhere = TestQuotes.slug();
            Map<String, Object> lost = new HashMap<>(TestQuotes.accepted(elsewhere, List.of(TestQuotes.item(CORE, "ISP Core Platform", 1, "299.00"))));
            lost.put("region", "us-east");
            submit(token, paidOrder(token, lost), true).statusCode(502)
                    .body("detail", containsString("the kubeconfig has no context no-such-context"));
            assertNull(cluster.client().namespaces().withName("tenant-" + elsewhere).get());
        } finally {
            if (previous == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", previous);
            }
            Files.deleteIfExists(kubeconfig);
            remote.destroy();
        }
    }

    @Test
    void aNamespaceDeletedByHandIsMadeAgainWhenTheOrderIsProcessedAgain() throws Exception {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = twoProducts(slug);
        LicensingStub.serve(slug, List.of(LicensingStub.license(slug, (String) quote.get("id"), CORE, "active", "key-core")));
        String id = paidOrder(token, quote);
        String namespace = "tenant-" + slug;

        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        cluster.refuseByQuota(namespace, DESK, "exceeded quota: tenant-quota");
        assertEquals(502, submitted.get(20, TimeUnit.SECONDS).statusCode());
        cluster.deleteWithWhatItHolds(namespace);

        // The recorded tenant, deployment and completed activation are provisioned again: the namespace and all in it are back.
        CompletableFuture<ExtractableResponse<Response>> again = CompletableFuture.supplyAsync(() -> process(token, id).extract());
        cluster.awaitDeployment(namespace, CORE);
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        cluster.makeAvailable(namespace, DESK);
        ExtractableResponse<Response> answer = again.get(20, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("active", answer.path("status"));
        assertEquals(List.of("completed", "completed"), answer.jsonPath().getList("activations.status"));
        assertEquals(List.of(1, 2), answer.jsonPath().getList("activations.attempts"));
        assertEquals(List.of("Deployment/" + CORE, "Deployment/" + DESK, "Ingress/platform", "LimitRange/tenant-limits",
                "Namespace/" + namespace, "NetworkPolicy/allow-ingress-controller", "NetworkPolicy/default-deny-ingress",
                "ResourceQuota/tenant-quota", "Secret/licenses", "Service/" + CORE, "Service/" + DESK),
                List.copyOf(cluster.snapshot(namespace).keySet()));
        assertEquals(Map.of(CORE, "key-core"), decoded(cluster.client().secrets().inNamespace(namespace).withName("licenses").get().getData()));
    }

    @Test
    void moreOrdersAtOnceThanThePoolHasConnectionsAllBecomeActive() throws Exception {
        // OrderProcessingTest's concurrency case with this provisioner: twelve submits with auto_activate
        // at once on the test pool of four connections, three services each, thirty-six Deployments
        // waited for; its calls leave the event loop and come back to each order's transaction, and its
        // waits hold no thread, while the test plays the Deployment controller.
        List<String> slugs = IntStream.range(0, 12).mapToObj(i -> TestQuotes.slug()).toList();
        List<String> ids = slugs.stream().map(slug -> paidOrder(token, TestQuotes.accepted(slug))).toList();

        try (AutoCloseable controller = cluster.rollingOutEverything()) {
            allActive(ids.stream().<Supplier<ExtractableResponse<Response>>>map(id -> () -> submitAsStep(token, id)).toList());
        }
        for (int i = 0; i < ids.size(); i++) {
            UUID id = UUID.fromString(ids.get(i));
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE order_id = $1", id));
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", id));
            assertEquals(3, cluster.client().apps().deployments().inNamespace("tenant-" + slugs.get(i)).list().getItems().size());
        }
    }

    /** Submitted with auto_activate, each Deployment made available as it comes; the active order. */
    private JsonPath activeOrder(String id, String namespace) throws Exception {
        CompletableFuture<ExtractableResponse<Response>> submitted = CompletableFuture.supplyAsync(() -> submit(token, id, true).extract());
        cluster.awaitDeployment(namespace, CORE);
        cluster.makeAvailable(namespace, CORE);
        cluster.awaitDeployment(namespace, DESK);
        cluster.makeAvailable(namespace, DESK);
        ExtractableResponse<Response> answer = submitted.get();
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("active", answer.path("status"));
        return answer.jsonPath();
    }

    /**
     * The same objects, none written to, but the Secret: the provisioner may not read Secrets, so it
     * writes its keys each time unread. A cluster keeps the version of a write that changes nothing;
     * the test server counts it.
     */
    private static void assertNothingNew(Map<String, String> before, Map<String, String> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((object, version) -> assertEquals(object.startsWith("Secret/") ? version.split("@")[0] : version,
                object.startsWith("Secret/") ? after.get(object).split("@")[0] : after.get(object), object));
    }

    private static Map<String, Object> twoProducts(String slug) {
        return TestQuotes.accepted(slug, List.of(
                TestQuotes.item(CORE, "ISP Core Platform", 1, "299.00"),
                TestQuotes.item(DESK, "Support Desk (per seat)", 3, "33.33")));
    }

    private static Map<String, String> decoded(Map<String, String> data) {
        return data.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
    }

    private static <T> T awaited(io.smallrye.mutiny.Uni<T> call) {
        return call.await().atMost(Duration.ofSeconds(20));
    }
}
