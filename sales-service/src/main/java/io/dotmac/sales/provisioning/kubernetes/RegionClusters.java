package io.dotmac.sales.provisioning.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes client of each region's cluster ({@code sales.provisioner.kubernetes.regions}),
 * made when a region is first provisioned: nothing connects anywhere before an order needs it.
 * {@value #IN_CLUSTER} is Quarkus's own client (in a pod, its ServiceAccount; elsewhere
 * {@code quarkus.kubernetes-client.*} or the kubeconfig's current context); any other value names
 * a context of the kubeconfig, which must exist, lest another cluster be provisioned instead.
 */
@ApplicationScoped
class RegionClusters {

    static final String IN_CLUSTER = "in-cluster";

    private final KubernetesProvisionerConfig config;
    private final Instance<KubernetesClient> inCluster;
    private final KubernetesSerialization serialization;
    private final Map<String, KubernetesClient> byContext = new ConcurrentHashMap<>();

    RegionClusters(KubernetesProvisionerConfig config, Instance<KubernetesClient> inCluster,
                   KubernetesSerialization serialization) {
        this.config = config;
        this.inCluster = inCluster;
        this.serialization = serialization;
    }

    /** The client of the region's cluster; blocking the first time (it reads the kubeconfig). */
    KubernetesClient of(String region) {
        KubernetesProvisionerConfig.Region configured = config.regions().get(region);
        if (configured == null) {
            throw new KubernetesFailure("no cluster is configured for region " + region
                    + " (sales.provisioner.kubernetes.regions." + region + ".cluster)");
        }
        String cluster = configured.cluster();
        return IN_CLUSTER.equals(cluster) ? inCluster.get() : byContext.computeIfAbsent(cluster, this::fromKubeconfig);
    }

    private KubernetesClient fromKubeconfig(String context) {
        Config kubeconfig = Config.autoConfigure(context);
        // fabric8 falls back to the current context when the one asked for is missing.
        if (kubeconfig.getCurrentContext() == null || !context.equals(kubeconfig.getCurrentContext().getName())) {
            throw new KubernetesFailure("the kubeconfig has no context " + context);
        }
        return new KubernetesClientBuilder().withConfig(kubeconfig).withKubernetesSerialization(serialization).build();
    }

    @PreDestroy
    void close() {
        byContext.values().forEach(KubernetesClient::close);
    }
}
