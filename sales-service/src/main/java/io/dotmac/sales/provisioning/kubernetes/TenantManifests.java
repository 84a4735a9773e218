package io.dotmac.sales.provisioning.kubernetes;

import io.dotmac.sales.order.OrderedService;
import io.dotmac.sales.provisioning.Provisioner.TenantSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The objects that make a customer's platform, as the provisioner wants them, all named after the
 * tenant's slug and the ordered service codes (never after an attempt), so that building them
 * again for the same order gives the same objects. Each carries the provisioner's label and the
 * order's; the namespace also the vendor tenant, the customer tenant and the region.
 *
 * <p>In namespace {@code tenant-<slug>}: the ResourceQuota and LimitRange the order's services pay
 * for ({@link ServiceSize}), a default-deny NetworkPolicy with one that lets in the Ingress
 * controller and the tenant's own pods, the Secret of its license keys, and per service a
 * Deployment and a Service of its name; the Ingress serves {@code <slug>.<base domain>} over TLS
 * (cert-manager's certificate), {@code /} to the first service ordered and {@code /<code>} to each.
 */
class TenantManifests {

    /** The label of the Ingress controller's namespace, as the control plane's own NetworkPolicies read it. */
    static final String INGRESS_CONTROLLER_LABEL = "controlplane.dotmac.io/ingress-controller";

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String PROVISIONER = "controlplane-sales";
    static final String NAME = "app.kubernetes.io/name";
    static final String ORDER = "controlplane.dotmac.io/order";
    static final String VENDOR_TENANT = "controlplane.dotmac.io/vendor-tenant";
    static final String CUSTOMER_TENANT = "controlplane.dotmac.io/customer-tenant";
    static final String REGION = "controlplane.dotmac.io/region";
    static final String CLUSTER_ISSUER = "cert-manager.io/cluster-issuer";
    static final String POD_SECURITY = "pod-security.kubernetes.io/enforce";
    static final String POD_SECURITY_VERSION = "pod-security.kubernetes.io/enforce-version";

    static final String QUOTA = "tenant-quota";
    static final String LIMITS = "tenant-limits";
    static final String DEFAULT_DENY = "default-deny-ingress";
    static final String ALLOW_INGRESS = "allow-ingress-controller";
    static final String LICENSES = "licenses";
    static final String INGRESS = "platform";
    static final String TLS_SECRET = "platform-tls";
    static final String LICENSE_KEY_ENV = "LICENSE_KEY";

    private static final String HTTP = "http";
    /**
     * Room in the quota for cert-manager's HTTP-01 solver, a pod it starts in the Ingress's namespace
     * while a certificate is issued or renewed (its defaults: limits 100m and 64Mi).
     */
    private static final ServiceSize ACME_SOLVER = new ServiceSize("cm-acme-http-solver", 1, 100, 64);
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private final KubernetesProvisionerConfig config;
    private final String baseDomain;

    TenantManifests(KubernetesProvisionerConfig config, String baseDomain) {
        this.config = config;
        this.baseDomain = baseDomain;
    }

    static String namespace(String slug) {
        return "tenant-" + slug;
    }

    String host(String slug) {
        return slug + "." + baseDomain;
    }

    /** The size of each ordered service, in the order bought; an unknown service code fails the order. */
    List<ServiceSize> sizes(List<OrderedService> services) {
        return services.stream().map(service -> size(service.serviceCode(), service.quantity())).toList();
    }

    ServiceSize size(String serviceCode, int quantity) {
        return ServiceSize.of(serviceCode, service(serviceCode), quantity);
    }

    Namespace namespace(TenantSpec tenant) {
        Map<String, String> labels = new TreeMap<>(owned(tenant.orderId()));
        labels.put(VENDOR_TENANT, labelValue("vendor tenant", tenant.vendorTenant()));
        labels.put(CUSTOMER_TENANT, tenant.id().toString());
        labels.put(REGION, labelValue("region", tenant.region()));
        // Whatever runs there runs as Pod Security's "restricted" profile requires, as the control plane itself does.
        labels.put(POD_SECURITY, "restricted");
        labels.put(POD_SECURITY_VERSION, "latest");
        return new NamespaceBuilder().withNewMetadata().withName(namespace(tenant.slug())).withLabels(labels).endMetadata().build();
    }

    /** What the order's pods may take in all: the sum of their sizes, and a certificate's solver. */
    ResourceQuota quota(String namespace, UUID orderId, List<ServiceSize> sizes) {
        List<ServiceSize> pods = new ArrayList<>(sizes);
        pods.add(ACME_SOLVER);
        Quantity cpu = ServiceSize.cpu(pods.stream().mapToLong(size -> size.replicas() * size.milliCpu()).sum());
        Quantity memory = ServiceSize.memory(pods.stream().mapToLong(size -> size.replicas() * size.mebibytes()).sum());
        Map<String, Quantity> hard = new LinkedHashMap<>();
        hard.put("pods", new Quantity(String.valueOf(pods.stream().mapToInt(ServiceSize::replicas).sum())));
        hard.put("requests.cpu", cpu);
        hard.put("limits.cpu", cpu);
        hard.put("requests.memory", memory);
        hard.put("limits.memory", memory);
        return new ResourceQuotaBuilder().withMetadata(meta(namespace, QUOTA, orderId))
                .withNewSpec().withHard(hard).endSpec().build();
    }

    /**
     * No container larger than the order's largest pod (or the certificate's solver); one that names
     * no size gets the smallest (the quota refuses pods without requests and limits).
     */
    LimitRange limits(String namespace, UUID orderId, List<ServiceSize> sizes) {
        Map<String, Quantity> smallest = resources(min(sizes, ServiceSize::milliCpu), min(sizes, ServiceSize::mebibytes));
        List<ServiceSize> largest = new ArrayList<>(sizes);
        largest.add(ACME_SOLVER);
        return new LimitRangeBuilder().withMetadata(meta(namespace, LIMITS, orderId))
                .withNewSpec().addNewLimit().withType("Container")
                .withMax(resources(max(largest, ServiceSize::milliCpu), max(largest, ServiceSize::mebibytes)))
                .withDefault(smallest).withDefaultRequest(smallest)
                .endLimit().endSpec().build();
    }

    /** Nothing gets in unless allowed; egress is not restricted here (DNS, the customer's own dependencies). */
    NetworkPolicy defaultDeny(String namespace, UUID orderId) {
        return new NetworkPolicyBuilder().withMetadata(meta(namespace, DEFAULT_DENY, orderId))
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
    }

    /**
     * The Ingress controller reaches the tenant's pods, and they one another; no other tenant does. The
     * controller's namespace is the one the cluster's operator labelled for the control plane's own
     * entry points (deploy/kubernetes/base/network-policies.yml), so one label admits it to both.
     */
    NetworkPolicy allowIngress(String namespace, UUID orderId) {
        return new NetworkPolicyBuilder().withMetadata(meta(namespace, ALLOW_INGRESS, orderId))
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewNamespaceSelector()
                .addToMatchLabels(INGRESS_CONTROLLER_LABEL, "true").endNamespaceSelector().endFrom()
                .addNewFrom().withNewPodSelector().endPodSelector().endFrom()
                .endIngress()
                .endSpec().build();
    }

    /** The license keys, by product code: each service's pods read theirs as {@value #LICENSE_KEY_ENV}. */
    Secret licenses(String namespace, UUID orderId, Map<String, String> keysByProduct) {
        Map<String, String> data = new TreeMap<>();
        keysByProduct.forEach((product, key) -> data.put(product, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withMetadata(meta(namespace, LICENSES, orderId)).withType("Opaque").withData(data).build();
    }

    Ingress ingress(String namespace, UUID orderId, String slug, List<OrderedService> services) {
        List<HTTPIngressPath> paths = new ArrayList<>();
        paths.add(path("/", services.get(0).serviceCode()));
        services.forEach(service -> paths.add(path("/" + service.serviceCode(), service.serviceCode())));
        ObjectMeta meta = meta(namespace, INGRESS, orderId);
        meta.setAnnotations(Map.of(CLUSTER_ISSUER, config.clusterIssuer()));
        return new IngressBuilder().withMetadata(meta)
                .withNewSpec().withIngressClassName(config.ingressClass().orElse(null))
                .addNewTl().withHosts(host(slug)).withSecretName(TLS_SECRET).endTl()
                .addNewRule().withHost(host(slug)).withNewHttp().withPaths(paths).endHttp().endRule()
                .endSpec().build();
    }

    Service service(String namespace, UUID orderId, String serviceCode) {
        return new ServiceBuilder().withMetadata(meta(namespace, serviceCode, orderId, serviceCode))
                .withNewSpec().withSelector(Map.of(NAME, serviceCode))
                .addNewPort().withName(HTTP).withPort(80).withTargetPort(new IntOrString(HTTP)).endPort()
                .endSpec().build();
    }

    /**
     * The service's pods at the size the order pays for, as Pod Security's "restricted" profile
     * requires them, ready once their port takes connections. The quota holds exactly them (and a
     * certificate's solver), so an update replaces a pod at a time rather than adding one first.
     */
    Deployment deployment(String namespace, UUID orderId, ServiceSize size) {
        String code = size.serviceCode();
        KubernetesProvisionerConfig.Service service = service(code);
        Map<String, Quantity> resources = resources(size.milliCpu(), size.mebibytes());
        return new DeploymentBuilder().withMetadata(meta(namespace, code, orderId, code))
                .withNewSpec().withReplicas(size.replicas())
                .withNewSelector().addToMatchLabels(NAME, code).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(orderId, code)).endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer().withName(code).withImage(service.image())
                .addNewPort().withName(HTTP).withContainerPort(service.port()).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(HTTP)).endTcpSocket()
                .withPeriodSeconds(5).endReadinessProbe()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewEnv().withName(LICENSE_KEY_ENV).withNewValueFrom().withNewSecretKeyRef()
                .withName(LICENSES).withKey(code).withOptional(true).endSecretKeyRef().endValueFrom().endEnv()
                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                .endContainer()
                .endSpec().endTemplate()
                .endSpec().build();
    }

    /** The labels that say the provisioner made an object, for this order. */
    static Map<String, String> owned(UUID orderId) {
        return Map.of(MANAGED_BY, PROVISIONER, ORDER, orderId.toString());
    }

    private KubernetesProvisionerConfig.Service service(String serviceCode) {
        KubernetesProvisionerConfig.Service service = config.services().get(serviceCode);
        if (service == null) {
            throw new KubernetesFailure("no image is configured for service " + serviceCode
                    + " (sales.provisioner.kubernetes.services." + serviceCode + ".image)");
        }
        return service;
    }

    private static HTTPIngressPath path(String path, String serviceCode) {
        return new HTTPIngressPathBuilder().withPath(path).withPathType("Prefix")
                .withNewBackend().withNewService().withName(serviceCode).withNewPort().withName(HTTP).endPort().endService()
                .endBackend().build();
    }

    private static Map<String, Quantity> resources(long milliCpu, long mebibytes) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", ServiceSize.cpu(milliCpu));
        resources.put("memory", ServiceSize.memory(mebibytes));
        return resources;
    }

    private static long max(List<ServiceSize> sizes, ToLongFunction<ServiceSize> of) {
        return sizes.stream().mapToLong(of).max().orElseThrow();
    }

    private static long min(List<ServiceSize> sizes, ToLongFunction<ServiceSize> of) {
        return sizes.stream().mapToLong(of).min().orElseThrow();
    }

    private static ObjectMeta meta(String namespace, String name, UUID orderId) {
        return new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(new TreeMap<>(owned(orderId))).build();
    }

    private static ObjectMeta meta(String namespace, String name, UUID orderId, String serviceCode) {
        return new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(labels(orderId, serviceCode)).build();
    }

    private static Map<String, String> labels(UUID orderId, String serviceCode) {
        Map<String, String> labels = new TreeMap<>(owned(orderId));
        labels.put(NAME, serviceCode);
        return labels;
    }

    private static String labelValue(String what, String value) {
        if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw new KubernetesFailure("the " + what + " '" + value + "' cannot be a Kubernetes label value");
        }
        return value;
    }
}
