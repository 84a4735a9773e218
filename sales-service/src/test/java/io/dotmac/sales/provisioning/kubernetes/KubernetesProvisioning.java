package io.dotmac.sales.provisioning.kubernetes;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The Kubernetes provisioner chosen (sales.provisioner=kubernetes) against the Kubernetes test
 * server, which every region's {@code in-cluster} client is pointed at; the recording stand-in
 * the other tests get ({@code WatchedProvisioner}) left out. A size table of round figures, and
 * waits of seconds: nothing in the test server runs by itself, so a wait ends when a test says so.
 */
public class KubernetesProvisioning implements QuarkusTestProfile {

    static final String ISSUER = "test-issuer";
    static final String INGRESS_CLASS = "test-nginx";
    /** How long an activation waits: one test waits it out. */
    static final String WAIT = "PT3S";
    /** The kubeconfig context of region ap-southeast. */
    static final String REMOTE_CONTEXT = "remote-test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("sales.provisioner", "kubernetes"),
                Map.entry("quarkus.arc.exclude-types", "io.dotmac.sales.provisioning.WatchedProvisioner"),
                // The test server logs every request it answers.
                Map.entry("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN"),
                // eu-west is the test server's (in-cluster); these two, contexts of a kubeconfig the test writes.
                Map.entry("sales.provisioner.kubernetes.regions.ap-southeast.cluster", REMOTE_CONTEXT),
                Map.entry("sales.provisioner.kubernetes.regions.us-east.cluster", "no-such-context"),
                Map.entry("sales.provisioner.kubernetes.activation-timeout", WAIT),
                Map.entry("sales.provisioner.kubernetes.deletion-timeout", "PT5S"),
                Map.entry("sales.provisioner.kubernetes.cluster-issuer", ISSUER),
                Map.entry("sales.provisioner.kubernetes.ingress-class", INGRESS_CLASS),
                Map.entry("sales.provisioner.kubernetes.services.isp-core.image", "registry.test/isp-core:1.0"),
                Map.entry("sales.provisioner.kubernetes.services.isp-core.port", "8080"),
                Map.entry("sales.provisioner.kubernetes.services.isp-core.cpu", "500m"),
                Map.entry("sales.provisioner.kubernetes.services.isp-core.memory", "512Mi"),
                Map.entry("sales.provisioner.kubernetes.services.isp-core.pods", "1"),
                Map.entry("sales.provisioner.kubernetes.services.billing-suite.image", "registry.test/billing-suite:1.0"),
                Map.entry("sales.provisioner.kubernetes.services.billing-suite.cpu", "250m"),
                Map.entry("sales.provisioner.kubernetes.services.billing-suite.memory", "256Mi"),
                Map.entry("sales.provisioner.kubernetes.services.support-desk.image", "registry.test/support-desk:1.0"),
                Map.entry("sales.provisioner.kubernetes.services.support-desk.port", "9000"),
                Map.entry("sales.provisioner.kubernetes.services.support-desk.cpu", "100m"),
                Map.entry("sales.provisioner.kubernetes.services.support-desk.memory", "128Mi"),
                Map.entry("sales.provisioner.kubernetes.services.support-desk.pods", "0.5"));
    }
}
