package io.dotmac.sales.provisioning.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The Kubernetes test server as the tests drive it: it runs no controller, so a test plays the
 * Deployment and ReplicaSet controllers (a Deployment becomes available, or its pods are refused by
 * the quota) and the kubelet (a pod's container waits: its image cannot be pulled, it crashes), and reads back what the provisioner made.
 */
final class TestCluster {

    /** A finalizer the test holds a namespace's deletion with, as a cluster's namespace controller does while it empties it. */
    static final String FINALIZER = "test.dotmac.io/emptying";

    private final KubernetesClient client;

    TestCluster(KubernetesClient client) {
        this.client = client;
    }

    /** A Kubernetes test server besides the one Quarkus starts, in CRUD mode over plain HTTP, started; the caller destroys it. */
    static KubernetesMockServer serverOfItsOwn() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        return server;
    }

    KubernetesClient client() {
        return client;
    }

    /** The Deployment, once the provisioner has made it. */
    Deployment awaitDeployment(String namespace, String name) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps().deployments().inNamespace(namespace).withName(name).get(), Objects::nonNull);
    }

    /** The namespace once its deletion was asked for, held by {@link #FINALIZER}. */
    void awaitTerminating(String namespace) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.namespaces().withName(namespace).get(),
                ns -> ns != null && ns.getMetadata().getDeletionTimestamp() != null);
    }

    /** The namespace's deletion finished: its finalizer removed, it goes. */
    void finishDeleting(String namespace) {
        client.namespaces().withName(namespace).edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .removeFromFinalizers(FINALIZER).endMetadata().build());
    }

    /** The namespace deleted with what it holds, as a cluster does (the test server cascades nothing). */
    void deleteWithWhatItHolds(String namespace) {
        client.resourceQuotas().inNamespace(namespace).delete();
        client.limitRanges().inNamespace(namespace).delete();
        client.network().v1().networkPolicies().inNamespace(namespace).delete();
        client.secrets().inNamespace(namespace).delete();
        client.apps().deployments().inNamespace(namespace).delete();
        client.services().inNamespace(namespace).delete();
        client.network().v1().ingresses().inNamespace(namespace).delete();
        client.namespaces().withName(namespace).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(namespace).isEmpty());
    }

    /** The status the Deployment controller reports once every replica of the latest spec is available. */
    void makeAvailable(String namespace, String name) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(d.getSpec().getReplicas())
                .withUpdatedReplicas(d.getSpec().getReplicas())
                .withReadyReplicas(d.getSpec().getReplicas())
                .withAvailableReplicas(d.getSpec().getReplicas())
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                        .withReason("MinimumReplicasAvailable").build())
                .endStatus().build());
    }

    /** The status the Deployment controller reports when the ReplicaSet's pods exceed the namespace's quota. */
    void refuseByQuota(String namespace, String name, String message) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(0)
                .withConditions(new DeploymentConditionBuilder().withType("ReplicaFailure").withStatus("True")
                        .withReason("FailedCreate").withMessage(message).build())
                .endStatus().build());
    }

    /**
     * A pod of the service, of its Deployment's image, whose container waits, as the kubelet reports it
     * (ImagePullBackOff, CrashLoopBackOff...).
     */
    void podWaiting(String namespace, String serviceCode, String reason, String message) {
        String image = client.apps().deployments().inNamespace(namespace).withName(serviceCode).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        podWaiting(namespace, serviceCode, "-7d9c5b-x2x4q", image, reason, message);
    }

    /** A pod of the service, of the given image (an earlier ReplicaSet's, say), whose container waits. */
    void podWaiting(String namespace, String serviceCode, String suffix, String image, String reason, String message) {
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(serviceCode + suffix).withLabels(Map.of(TenantManifests.NAME, serviceCode))
                .endMetadata()
                .withNewSpec().addNewContainer().withName(serviceCode).withImage(image).endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName(serviceCode).withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .endContainerStatus().endStatus()
                .build()).create();
    }

    /** The Deployment's ReplicaSet, as the ReplicaSet controller reports it when the quota refuses its pods. */
    void replicaSetRefusedByQuota(String namespace, String serviceCode, String message) {
        client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(serviceCode + "-7d9c5b").withLabels(Map.of(TenantManifests.NAME, serviceCode)).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels(TenantManifests.NAME, serviceCode).endSelector().endSpec()
                .withNewStatus().withReplicas(0).addNewCondition().withType("ReplicaFailure").withStatus("True")
                .withReason("FailedCreate").withMessage(message).endCondition().endStatus()
                .build()).create();
    }

    /**
     * What the provisioner made for a tenant: kind/name of the namespace and each object in it, to
     * uid and resourceVersion, which change when an object is made again or written to.
     */
    Map<String, String> snapshot(String namespace) {
        Map<String, String> objects = new TreeMap<>();
        Stream.of(Stream.ofNullable(client.namespaces().withName(namespace).get()).toList(),
                        client.resourceQuotas().inNamespace(namespace).list().getItems(),
                        client.limitRanges().inNamespace(namespace).list().getItems(),
                        client.network().v1().networkPolicies().inNamespace(namespace).list().getItems(),
                        client.secrets().inNamespace(namespace).list().getItems(),
                        client.apps().deployments().inNamespace(namespace).list().getItems(),
                        client.services().inNamespace(namespace).list().getItems(),
                        client.network().v1().ingresses().inNamespace(namespace).list().getItems())
                .flatMap(List::stream)
                .forEach(object -> objects.put(key(object), object.getMetadata().getUid() + "@" + object.getMetadata().getResourceVersion()));
        return objects;
    }

    /**
     * Plays the Deployment controller for every namespace until closed: each Deployment becomes
     * available as soon as it is made.
     */
    AutoCloseable rollingOutEverything() {
        ExecutorService controller = Executors.newSingleThreadExecutor();
        SharedIndexInformer<Deployment> informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                controller.execute(() -> makeAvailable(deployment.getMetadata().getNamespace(), deployment.getMetadata().getName()));
            }

            @Override
            public void onUpdate(Deployment before, Deployment deployment) {
            }

            @Override
            public void onDelete(Deployment deployment, boolean unknownFinalState) {
            }
        });
        return () -> {
            informer.close();
            controller.shutdownNow();
        };
    }

    private static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }
}
