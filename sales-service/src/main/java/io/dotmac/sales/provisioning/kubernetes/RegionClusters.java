package io.dotmac.sales.provisioning.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.File;
import java.util.List;
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

    // The context's own cluster and credentials, as the kubeconfig (KUBECONFIG, else ~/.kube/config) says:
    // not the current context, and not what KUBERNETES_MASTER or other settings of the in-cluster client say.
    private KubernetesClient fromKubeconfig(String context) {
        List<File> files = Config.getKubeconfigFilenames().stream().map(File::new).filter(File::isFile).toList();
        for (File file : files) {
            Config kubeconfig = Config.fromKubeconfig(context, file);
            // fabric8 falls back to the current context when the one asked for is missing.
            if (kubeconfig.getCurrentContext() != null && context.equals(kubeconfig.getCurrentContext().getName())) {
                return new KubernetesClientBuilder().withConfig(kubeconfig).withKubernetesSerialization(serialization).build();
            }
        }
        throw new KubernetesFailure("the kubeconfig has no context " + context
                + (files.isEmpty() ? " (no kubeconfig file: set KUBECONFIG)" : " (read " + files + ")"));
    }

    @PreDestroy
    void close() {
        byContext.values().forEach(KubernetesClient::close);
    }
}
