package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner's admission policy (deploy/kubernetes/components/kubernetes-provisioner/
 * provisioner-admission.yml) evaluated as the API server evaluates it, by a CEL engine (cel-java;
 * Kubernetes runs cel-go, the same language): what sales-service's ServiceAccount may write is
 * admitted, what it may not is refused with a message that says why, and nobody else's request is
 * touched. Which requests the policy sees at all, KubernetesManifestsIT checks against the
 * ClusterRole. No CI machine has an API server: this is where the expressions run.
 */
class ProvisionerAdmissionPolicyIT {

    private static final Path POLICY = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize()
            .resolve("deploy/kubernetes/components/kubernetes-provisioner/provisioner-admission.yml");
    private static final String SALES = "system:serviceaccount:controlplane:sales-service";
    private static final Map<String, String> TENANT_LABELS = Map.of("app.kubernetes.io/managed-by", "controlplane-sales",
            "controlplane.dotmac.io/order", "0b7d6c1e-6a0e-4f57-9d43-51b0c1f0e0aa",
            "pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "latest");

    private static final Cel CEL = CelFactory.standardCelBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN).addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN)
            .addVar("namespaceObject", SimpleType.DYN).addVar("params", SimpleType.DYN).addVar("variables", SimpleType.DYN)
            .build();

    private static JsonNode policy;

    @BeforeAll
    static void read() throws IOException {
        policy = new YAMLMapper().readTree(Files.readString(POLICY));
        assertEquals("ValidatingAdmissionPolicy", policy.path("kind").asText());
    }

    @Test
    void salesServiceWritesInATenantsLabelledNamespaceOnly() {
        Map<String, Object> tenant = namespaceObject("tenant-acme", TENANT_LABELS);
        assertAll(
                () -> admitted(write(SALES, "CREATE", "", "secrets", "licenses", tenant)),
                () -> admitted(write(SALES, "UPDATE", "apps", "deployments", "isp-core", tenant)),
                () -> admitted(write(SALES, "CREATE", "networking.k8s.io", "ingresses", "platform", tenant)),
                () -> refused(write(SALES, "CREATE", "", "secrets", "licenses", namespaceObject("default", Map.of())),
                        "sales-service may write secrets only in a namespace named tenant-* that is labelled "
                                + "app.kubernetes.io/managed-by=controlplane-sales, not in default"),
                // A tenant-* namespace someone else made, and a labelled one without the prefix.
                () -> refused(write(SALES, "UPDATE", "apps", "deployments", "isp-core", namespaceObject("tenant-team", Map.of("team", "a"))),
                        "not in tenant-team"),
                () -> refused(write(SALES, "CREATE", "", "services", "isp-core", namespaceObject("acme", TENANT_LABELS)), "not in acme"),
                () -> refused(write(SALES, "DELETE", "", "resourcequotas", "tenant-quota", namespaceObject("kube-system", Map.of())),
                        "not in kube-system"));
    }

    @Test
    void salesServiceMakesChangesAndDeletesOnlyItsTenantsNamespaces() {
        Map<String, Object> made = namespaceObject("tenant-acme", TENANT_LABELS);
        Map<String, String> relabelled = new HashMap<>(TENANT_LABELS);
        relabelled.put("controlplane.dotmac.io/customer-tenant", "5f0c");
        Map<String, String> privileged = new HashMap<>(TENANT_LABELS);
        privileged.put("pod-security.kubernetes.io/enforce", "privileged");
        Map<String, String> unlabelled = new HashMap<>(TENANT_LABELS);
        unlabelled.remove("app.kubernetes.io/managed-by");
        Map<String, String> noPodSecurity = new HashMap<>(TENANT_LABELS);
        noPodSecurity.remove("pod-security.kubernetes.io/enforce");
        assertAll(
                () -> admitted(namespaceChange(SALES, "CREATE", null, made)),
                () -> admitted(namespaceChange(SALES, "UPDATE", made, namespaceObject("tenant-acme", relabelled))),
                () -> admitted(namespaceChange(SALES, "DELETE", made, null)),
                () -> refused(namespaceChange(SALES, "CREATE", null, namespaceObject("tenant-acme", noPodSecurity)),
                        "and pod-security.kubernetes.io/enforce=restricted, not tenant-acme"),
                () -> refused(namespaceChange(SALES, "CREATE", null, namespaceObject("payments", TENANT_LABELS)), "not payments"),
                () -> refused(namespaceChange(SALES, "CREATE", null, namespaceObject("tenant-acme", Map.of())), "not tenant-acme"),
                // Labelling a foreign namespace does not make it the provisioner's.
                () -> refused(namespaceChange(SALES, "UPDATE", namespaceObject("tenant-team", Map.of("team", "a")),
                        namespaceObject("tenant-team", TENANT_LABELS)), "already, and tenant-team is not"),
                () -> refused(namespaceChange(SALES, "UPDATE", made, namespaceObject("tenant-acme", privileged)),
                        "may not remove or change the labels"),
                () -> refused(namespaceChange(SALES, "UPDATE", made, namespaceObject("tenant-acme", unlabelled)),
                        "may not remove or change the labels"),
                () -> refused(namespaceChange(SALES, "DELETE", namespaceObject("default", Map.of()), null), "not default"),
                () -> refused(namespaceChange(SALES, "DELETE", namespaceObject("tenant-team", Map.of("team", "a")), null),
                        "not tenant-team"));
    }

    @Test
    void nobodyElsesRequestsAreTouched() {
        Map<String, Object> foreign = namespaceObject("tenant-team", Map.of("team", "a"));
        assertAll(
                // The namespace controller and the garbage collector, emptying and deleting namespaces.
                () -> admitted(namespaceChange("system:serviceaccount:kube-system:namespace-controller", "DELETE", foreign, null)),
                () -> admitted(write("system:serviceaccount:kube-system:generic-garbage-collector", "DELETE", "apps", "deployments",
                        "web", namespaceObject("default", Map.of()))),
                // Another of the control plane's services, and a person.
                () -> admitted(write("system:serviceaccount:controlplane:billing-service", "CREATE", "", "secrets", "x",
                        namespaceObject("default", Map.of()))),
                () -> admitted(namespaceChange("admin@example.com", "UPDATE", foreign, namespaceObject("tenant-team", Map.of())))
        );
    }

    /** A request to write a namespaced object, in {@code namespace} (its object as the API server hands it over). */
    private static Request write(String user, String operation, String group, String resource, String name, Map<String, Object> namespace) {
        Map<String, Object> object = Map.of("metadata", Map.of("name", name, "namespace", metadata(namespace).get("name")));
        return new Request(request(user, operation, group, resource, name, (String) metadata(namespace).get("name")),
                "DELETE".equals(operation) ? null : object, "CREATE".equals(operation) ? null : object, namespace);
    }

    /** A request about a namespace itself: no namespaceObject, as for any cluster-scoped kind. */
    private static Request namespaceChange(String user, String operation, Map<String, Object> before, Map<String, Object> after) {
        String name = (String) metadata(before != null ? before : after).get("name");
        return new Request(request(user, operation, "", "namespaces", name, ""), after, before, null);
    }

    private static Map<String, Object> request(String user, String operation, String group, String resource, String name,
                                               String namespace) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", operation);
        request.put("name", name);
        request.put("namespace", namespace);
        request.put("resource", Map.of("group", group, "version", "v1", "resource", resource));
        request.put("userInfo", Map.of("username", user));
        return request;
    }

    // A namespace without labels has no labels field at all, as the API server serializes it.
    private static Map<String, Object> namespaceObject(String name, Map<String, String> labels) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (!labels.isEmpty()) {
            metadata.put("labels", labels);
        }
        return Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", metadata);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    private static void admitted(Request request) throws Exception {
        Decision decision = decide(request);
        assertTrue(decision.allowed(), () -> request + " was refused: " + decision.message());
    }

    private static void refused(Request request, String says) throws Exception {
        Decision decision = decide(request);
        assertTrue(!decision.allowed(), () -> request + " was admitted");
        assertTrue(decision.message().contains(says), () -> "refused with \"" + decision.message() + "\", not saying \"" + says + "\"");
        assertTrue(!decision.message().contains("\n"), "a message is one line: " + decision.message());
    }

    /**
     * As the API server decides for a request the policy's rules match: unless every matchCondition
     * holds, the policy does not apply; otherwise the variables are computed in order and every
     * validation must hold, the first that does not refusing with its message. An expression's error
     * refuses too (failurePolicy Fail).
     */
    private static Decision decide(Request request) throws Exception {
        JsonNode spec = policy.path("spec");
        assertEquals("Fail", spec.path("failurePolicy").asText());
        Map<String, Object> activation = new HashMap<>();
        activation.put("request", request.request());
        activation.put("object", orNull(request.object()));
        activation.put("oldObject", orNull(request.oldObject()));
        activation.put("namespaceObject", orNull(request.namespaceObject()));
        activation.put("params", NullValue.NULL_VALUE);
        Map<String, Object> variables = new HashMap<>();
        activation.put("variables", variables);
        for (JsonNode condition : spec.path("matchConditions")) {
            if (!Boolean.TRUE.equals(eval(condition.path("expression").asText(), activation))) {
                return new Decision(true, "not matched");
            }
        }
        for (JsonNode variable : spec.path("variables")) {
            variables.put(variable.path("name").asText(), eval(variable.path("expression").asText(), activation));
        }
        for (JsonNode validation : spec.path("validations")) {
            Object holds;
            try {
                holds = eval(validation.path("expression").asText(), activation);
            } catch (CelEvaluationException e) {
                return new Decision(false, "error: " + e.getMessage());
            }
            if (!Boolean.TRUE.equals(holds)) {
                String message = validation.has("messageExpression")
                        ? (String) eval(validation.path("messageExpression").asText(), activation)
                        : validation.path("message").asText();
                return new Decision(false, message);
            }
        }
        return new Decision(true, "admitted");
    }

    private static Object eval(String expression, Map<String, Object> activation) throws Exception {
        return CEL.createProgram(CEL.compile(expression).getAst()).eval(activation);
    }

    private static Object orNull(Object value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }

    private record Request(Map<String, Object> request, Map<String, Object> object, Map<String, Object> oldObject,
                           Map<String, Object> namespaceObject) {

        @Override
        public String toString() {
            return request.get("operation") + " " + ((Map<?, ?>) request.get("resource")).get("resource") + " " + request.get("name")
                    + (namespaceObject == null ? "" : " in " + metadata(namespaceObject).get("name"))
                    + " by " + ((Map<?, ?>) request.get("userInfo")).get("username");
        }
    }

    private record Decision(boolean allowed, String message) {
    }
}
