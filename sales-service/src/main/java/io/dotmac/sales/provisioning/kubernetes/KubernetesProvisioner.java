package io.dotmac.sales.provisioning.kubernetes;

import static io.dotmac.sales.provisioning.kubernetes.ClusterWrites.ensure;
import static io.dotmac.sales.provisioning.kubernetes.OffEventLoop.blocking;
import static io.dotmac.sales.provisioning.kubernetes.OffEventLoop.onCallersContext;

import io.dotmac.sales.client.CustomerLicenses;
import io.dotmac.sales.provisioning.Provisioner;
import io.dotmac.sales.provisioning.RecordingProvisioner;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes an order's customer platform real in the Kubernetes cluster of its region
 * ({@code sales.provisioner=kubernetes}): the tenant is a namespace with its quota, limits and
 * network policies; the deployment its license keys and its Ingress; each activation a Deployment
 * and Service of the service's image, complete once the Deployment is available ({@link Rollout}).
 * What it makes is in {@link TenantManifests}; how it writes so that a repeated call creates
 * nothing new, and never touches a namespace that is not this order's, in {@link ClusterWrites}.
 * A cancel deletes the namespace and waits until it is gone.
 *
 * <p>The client blocks: its calls run on worker threads, the waits on informers, and each outcome
 * comes back on the caller's Vert.x context ({@link OffEventLoop}).
 */
@Identifier("kubernetes")
@ApplicationScoped
public class KubernetesProvisioner implements Provisioner {

    private static final Logger LOG = Logger.getLogger(KubernetesProvisioner.class);

    private final KubernetesProvisionerConfig config;
    private final RegionClusters clusters;
    private final CustomerLicenses licenses;
    private final TenantManifests manifests;

    KubernetesProvisioner(KubernetesProvisionerConfig config, RegionClusters clusters, CustomerLicenses licenses,
                          @ConfigProperty(name = "controlplane.tenant-base-domain") String baseDomain) {
        this.config = config;
        this.clusters = clusters;
        this.licenses = licenses;
        this.manifests = new TenantManifests(config, baseDomain);
    }

    @Override
    public Uni<Void> provisionTenant(TenantSpec tenant) {
        return onCallersContext(blocking(() -> {
            List<ServiceSize> sizes = manifests.sizes(tenant.services());
            KubernetesClient cluster = clusters.of(tenant.region());
            String namespace = ClusterWrites.claimNamespace(cluster, manifests.namespace(tenant), tenant.orderId())
                    .getMetadata().getName();
            ensure(cluster, manifests.quota(namespace, tenant.orderId(), sizes));
            ensure(cluster, manifests.limits(namespace, tenant.orderId(), sizes));
            ensure(cluster, manifests.defaultDeny(namespace, tenant.orderId()));
            ensure(cluster, manifests.allowIngress(namespace, tenant.orderId()));
            return null;
        }));
    }

    @Override
    public Uni<DeploymentResult> provisionDeployment(DeploymentSpec deployment) {
        Uni<Map<String, String>> keys = licenses.keys(deployment.tenantSlug(), deployment.quoteId(),
                deployment.caller().authorization());
        return onCallersContext(keys.chain(found -> blocking(() -> {
            KubernetesClient cluster = clusters.of(deployment.region());
            String namespace = owned(cluster, deployment.tenantSlug(), deployment.orderId());
            if (found.isEmpty()) {
                LOG.warnf("licensing-service has no license of quote %s for %s: its services start without a key",
                        deployment.quoteId(), deployment.tenantSlug());
            }
            ClusterWrites.putSecret(cluster, manifests.licenses(namespace, deployment.orderId(), found));
            ensure(cluster, manifests.ingress(namespace, deployment.orderId(), deployment.tenantSlug(), deployment.services()));
            return new DeploymentResult(RecordingProvisioner.RUNNING, "https://" + manifests.host(deployment.tenantSlug()));
        })));
    }

    /** Writes the service's Deployment and Service; the completion watches the rollout ({@link Rollout}). */
    @Override
    public Uni<Completion> activateService(ActivationSpec activation) {
        String name = activation.serviceCode();
        return onCallersContext(blocking(() -> {
            ServiceSize size = manifests.size(name, activation.quantity());
            KubernetesClient cluster = clusters.of(activation.region());
            String namespace = owned(cluster, activation.tenantSlug(), activation.orderId());
            ensure(cluster, manifests.service(namespace, activation.orderId(), name));
            Deployment deployment = ensure(cluster, manifests.deployment(namespace, activation.orderId(), size));
            String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            return (Completion) () -> rolledOut(cluster, namespace, name, image);
        }));
    }

    /**
     * Deletes the tenant's namespace (Kubernetes deletes what is in it); the completion waits until it
     * is gone. Gone already, or never made, is done; one terminating already is only waited for.
     */
    @Override
    public Uni<Completion> deprovision(DeprovisionSpec order) {
        String name = TenantManifests.namespace(order.tenantSlug());
        return onCallersContext(blocking(() -> {
            KubernetesClient cluster = clusters.of(order.region());
            Namespace namespace = ClusterWrites.call("reading namespace " + name,
                    () -> cluster.namespaces().withName(name).get());
            if (namespace == null) {
                return Completion.DONE;
            }
            String notOurs = ClusterWrites.notOwned(namespace, order.orderId());
            if (notOurs != null) {
                LOG.warnf("order %s: nothing of it to tear down in %s: %s", order.orderId(), name, notOurs);
                return Completion.DONE;
            }
            if (namespace.getMetadata().getDeletionTimestamp() == null) {
                ClusterWrites.call("deleting namespace " + name, () -> cluster.resource(namespace).lockResourceVersion().delete());
            }
            return (Completion) () -> gone(cluster, name);
        }));
    }

    private Uni<Void> rolledOut(KubernetesClient cluster, String namespace, String name, String image) {
        Map<String, String> pods = Map.of(TenantManifests.NAME, name);
        return onCallersContext(Uni.createFrom().completionStage(
                        () -> Rollout.watch(cluster, namespace, name, pods, image, config.activationTimeout()))
                .onFailure(KubernetesProvisioner::timedOut).recoverWithUni(() -> blocking(() -> {
                    throw Rollout.notAvailable(cluster, namespace, name, pods, config.activationTimeout());
                })));
    }

    private Uni<Void> gone(KubernetesClient cluster, String name) {
        return onCallersContext(Uni.createFrom().completionStage(
                        () -> cluster.namespaces().withName(name).informOnCondition(List::isEmpty)
                                .orTimeout(config.deletionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .replaceWithVoid()
                .onFailure(KubernetesProvisioner::timedOut).transform(e -> new KubernetesFailure("namespace " + name
                        + " was still terminating after " + config.deletionTimeout())));
    }

    // Every part after the tenant's writes only into the namespace the order's tenant part made.
    private static String owned(KubernetesClient cluster, String slug, UUID orderId) {
        return ClusterWrites.ownedNamespace(cluster, TenantManifests.namespace(slug), orderId).getMetadata().getName();
    }

    // A CompletableFuture's timeout, whether or not it comes wrapped.
    private static boolean timedOut(Throwable e) {
        return e instanceof TimeoutException || e instanceof CompletionException && e.getCause() instanceof TimeoutException;
    }
}
