package io.dotmac.e2e;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema of a Kubernetes object, checked without a cluster: whether the object, read into the Java model of its
 * kind, has every field in its place. Kubernetes' own kinds are read by fabric8's model (the version the Quarkus BOM
 * manages), Strimzi's (Kafka, KafkaNodePool, KafkaTopic, KafkaUser) by Strimzi's {@code io.strimzi:api}. Both keep a
 * field they do not know, or one whose value is not of its type, in the object's {@code additionalProperties} instead
 * of refusing it: every object of the model read is walked, and each such field is a problem, named by its path.
 * <p>
 * Kinds with no Java model here, CloudNativePG's (Cluster, Database, ScheduledBackup, and the Barman Cloud Plugin's
 * ObjectStore), the Prometheus Operator's (PodMonitor, PrometheusRule) and cert-manager's (ClusterIssuer), are checked
 * for their apiVersion and a few fields they cannot do without ({@link #WITHOUT_MODEL}); their other fields are not.
 * A kind in none of the three is a problem: this class must learn it first.
 */
final class ManifestSchemas {

    /** A kind without a Java model: the apiVersion it is read as, and the fields (JSON pointers) it needs. */
    private record WithoutModel(String apiVersion, List<String> required) {
    }

    private static final Map<String, WithoutModel> WITHOUT_MODEL = Map.of(
            "Cluster", new WithoutModel("postgresql.cnpg.io/v1", List.of("/spec/instances", "/spec/storage/size")),
            "Database", new WithoutModel("postgresql.cnpg.io/v1", List.of("/spec/name", "/spec/owner", "/spec/cluster/name")),
            "ScheduledBackup", new WithoutModel("postgresql.cnpg.io/v1", List.of("/spec/schedule", "/spec/cluster/name", "/spec/method")),
            "ObjectStore", new WithoutModel("barmancloud.cnpg.io/v1", List.of("/spec/configuration/destinationPath")),
            "PodMonitor", new WithoutModel("monitoring.coreos.com/v1", List.of("/spec/selector", "/spec/podMetricsEndpoints")),
            "PrometheusRule", new WithoutModel("monitoring.coreos.com/v1", List.of("/spec/groups")),
            "ClusterIssuer", new WithoutModel("cert-manager.io/v1", List.of("/spec")));

    /** Strimzi's kinds, by kind; the API group they must be in. */
    private static final Map<String, Class<?>> STRIMZI = Map.of("Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);
    private static final String STRIMZI_GROUP = "kafka.strimzi.io";

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestSchemas() {
    }

    /**
     * What is wrong with an object: nothing if the list is empty. A patch ({@code partial}) is read as its kind too,
     * but need not have the fields a whole object needs; Kustomize's {@code $patch} directive is not a field.
     */
    static List<String> problems(JsonNode object, boolean partial) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        if (apiVersion.isEmpty() || kind.isEmpty() || object.at("/metadata/name").asText().isEmpty()) {
            problems.add("no apiVersion, kind or metadata.name");
            return problems;
        }
        JsonNode fields = object;
        if (object.has("$patch")) {
            fields = object.deepCopy();
            ((ObjectNode) fields).remove("$patch");
        }
        WithoutModel withoutModel = WITHOUT_MODEL.get(kind);
        if (withoutModel != null) {
            if (!withoutModel.apiVersion().equals(apiVersion)) {
                problems.add(kind + " is " + withoutModel.apiVersion() + ", not " + apiVersion);
            }
            if (!partial && !object.has("$patch")) {
                withoutModel.required().stream().filter(field -> object.at(field).isMissingNode() || object.at(field).isNull())
                        .forEach(field -> problems.add("no " + field));
            }
            return problems;
        }
        Object read;
        try {
            if (STRIMZI.containsKey(kind)) {
                Class<?> type = STRIMZI.get(kind);
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                @SuppressWarnings("unchecked")
                List<String> versions = (List<String>) type.getField("VERSIONS").get(null);
                // The versions Strimzi's model says the operator serves (0.49: v1, and v1beta2 still).
                if (!group.equals(STRIMZI_GROUP) || !versions.contains(apiVersion.substring(apiVersion.indexOf('/') + 1))) {
                    problems.add(kind + " is " + STRIMZI_GROUP + "/" + versions + ", not " + apiVersion);
                }
                read = JSON.treeToValue(fields, type);
            } else {
                if (KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind) == null) {
                    problems.add("no model of " + apiVersion + " " + kind + " (a kind ManifestSchemas does not know?)");
                    return problems;
                }
                read = KUBERNETES.unmarshal(JSON.writeValueAsString(fields), KubernetesResource.class);
                if (read instanceof GenericKubernetesResource) {
                    problems.add("no model of " + apiVersion + " " + kind);
                    return problems;
                }
            }
        } catch (Exception e) {
            problems.add("does not read as " + apiVersion + " " + kind + ": " + e.getMessage());
            return problems;
        }
        unknownFields(read, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    /** Walks an object of the model: each one's additionalProperties are fields its schema does not have. */
    private static void unknownFields(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> unknownFields(entry, path + "/" + key, problems, seen));
            return;
        }
        if (value instanceof Collection<?> list) {
            int index = 0;
            for (Object entry : list) {
                unknownFields(entry, path + "/" + index++, problems, seen);
            }
            return;
        }
        String type = value.getClass().getName();
        if (!(type.startsWith("io.fabric8.") || type.startsWith("io.strimzi.")) || !seen.add(value)) {
            return;
        }
        Object additional = invoke(value, "getAdditionalProperties");
        if (additional instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
            problems.add((path.isEmpty() ? "/" : path) + ": no such field " + unknown.keySet());
        }
        BeanDescription bean = JSON.getSerializationConfig().introspect(JSON.constructType(value.getClass()));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor != null) {
                try {
                    unknownFields(accessor.getValue(value), path + "/" + property.getName(), problems, seen);
                } catch (RuntimeException e) {
                    // A computed getter (a CustomResource's plural, say) that has nothing to read: no field.
                }
            }
        }
    }

    private static Object invoke(Object target, String getter) {
        try {
            Method method = target.getClass().getMethod(getter);
            return method.invoke(target);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
