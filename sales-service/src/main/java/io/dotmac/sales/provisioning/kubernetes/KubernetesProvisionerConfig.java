package io.dotmac.sales.provisioning.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes provisioner's tables ({@code sales.provisioner.kubernetes.*}): the cluster of each
 * region, and what each service code runs and costs per unit bought. Read and checked at startup
 * whichever provisioner is chosen (a malformed size stops the start, not an order), so every value
 * here has a default or lives in a map that may be empty.
 */
@ConfigMapping(prefix = "sales.provisioner.kubernetes")
public interface KubernetesProvisionerConfig {

    /** Region (an order's {@code region}) to the cluster its customers' platforms run in. */
    Map<String, Region> regions();

    /** Service code (a quote line's product) to its image and its size per unit. */
    Map<String, Service> services();

    /** cert-manager's ClusterIssuer of the tenants' certificates (the Ingress's annotation). */
    @WithDefault("letsencrypt")
    String clusterIssuer();

    /** The IngressClass of the tenants' Ingresses; none: the cluster's default class. */
    Optional<String> ingressClass();

    /** How long an activation waits for its Deployment to become available. */
    @WithDefault("PT2M")
    Duration activationTimeout();

    /** How long a teardown waits for the tenant's namespace to be gone. */
    @WithDefault("PT2M")
    Duration deletionTimeout();

    interface Region {

        /** {@value RegionClusters#IN_CLUSTER}, or the name of a context of the kubeconfig. */
        String cluster();
    }

    interface Service {

        String image();

        /** The container port it listens on. */
        @WithDefault("8080")
        @Min(1)
        @Max(65535)
        int port();

        /** CPU per unit bought (a Kubernetes quantity: 250m, 0.5, 1). */
        @Pattern(regexp = "[0-9]+(\\.[0-9]+)?m?")
        String cpu();

        /** Memory per unit bought (a Kubernetes quantity: 256Mi, 1Gi, 500M). */
        @Pattern(regexp = "[0-9]+(\\.[0-9]+)?([kMGTPE]i?)?")
        String memory();

        /** Pods per unit bought, rounded up over the quantity, at least one (0.1: a pod per ten seats). */
        @WithDefault("1")
        @DecimalMin(value = "0", inclusive = false)
        BigDecimal pods();
    }
}
