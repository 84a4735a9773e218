package io.dotmac.sales.provisioning.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Writes the provisioner's objects so that writing them again changes nothing: an object that is
 * missing is created; one that holds everything wanted already is left alone (no write, the same
 * resourceVersion); one that differs is merge-patched with what is wanted, keeping what the
 * cluster added. That is server-side apply's effect, done with plain reads and writes. Each call
 * blocks.
 *
 * <p>Why not server-side apply: the Kubernetes test server the tests run against does not take it.
 *
 * <p>A {@code tenant-<slug>} namespace that lacks the provisioner's label, or carries another
 * order's, is never written to, patched or deleted: checked here, and, in a cluster, by the
 * admission policy that fences the provisioner's ServiceAccount (components/kubernetes-provisioner).
 */
final class ClusterWrites {

    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?");

    private ClusterWrites() {
    }

    /** The object as wanted, created or brought up to date; blocking. */
    static <T extends HasMetadata> T ensure(KubernetesClient client, T wanted) {
        return ensure(client, wanted, existing -> {
        });
    }

    /**
     * The Secret as wanted, created, or its data replaced whole (a key no longer wanted goes: a
     * revoked license's), without reading it first: the provisioner may write Secrets but not read
     * them (provisioner-rbac.yml). A patch that changes nothing leaves the resourceVersion as it was.
     */
    static Secret putSecret(KubernetesClient client, Secret wanted) {
        Resource<Secret> resource = client.resource(wanted);
        Secret created = createdUnlessThere(resource, wanted);
        if (created != null) {
            return created;
        }
        Map<String, String> data = wanted.getData() == null ? Map.of() : wanted.getData();
        String replaceData = client.getKubernetesSerialization().asJson(List.of(Map.of("op", "add", "path", "/data", "value", data)));
        return call("updating " + what(wanted), () -> resource.patch(PatchContext.of(PatchType.JSON), replaceData));
    }

    /**
     * The order's namespace, created or with its labels brought up to date; fails, touching
     * nothing, when the namespace there is not the provisioner's for this order.
     */
    static Namespace claimNamespace(KubernetesClient client, Namespace wanted, UUID orderId) {
        return ensure(client, wanted, existing -> requireOwned(existing, orderId));
    }

    // beforeChange sees an object that is there already, before anything is written to it.
    private static <T extends HasMetadata> T ensure(KubernetesClient client, T wanted, Consumer<T> beforeChange) {
        Resource<T> resource = client.resource(wanted);
        T existing = call("reading " + what(wanted), resource::get);
        if (existing == null) {
            T created = createdUnlessThere(resource, wanted);
            if (created != null) {
                return created;
            }
            existing = call("reading " + what(wanted), resource::get); // made meanwhile by another writer
            if (existing == null) {
                throw new KubernetesFailure(what(wanted) + " was made and deleted meanwhile by another writer");
            }
        }
        beforeChange.accept(existing);
        if (covers(client, existing, wanted)) {
            return existing;
        }
        return call("updating " + what(wanted), () -> resource.patch(PatchContext.of(PatchType.JSON_MERGE)));
    }

    // The object created, or null when one of its name is there already (409).
    private static <T extends HasMetadata> T createdUnlessThere(Resource<T> resource, T wanted) {
        try {
            return resource.create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw refused("creating " + what(wanted), e);
            }
            return null;
        }
    }

    /** The order's namespace, which must be there and be the provisioner's for this order. */
    static Namespace ownedNamespace(KubernetesClient client, String name, UUID orderId) {
        Namespace namespace = call("reading namespace " + name, () -> client.namespaces().withName(name).get());
        if (namespace == null) {
            throw new KubernetesFailure("namespace " + name + " is gone (deleted after the customer tenant was provisioned)");
        }
        requireOwned(namespace, orderId);
        return namespace;
    }

    /** Why the namespace is not this order's, or null when it is. */
    static String notOwned(Namespace namespace, UUID orderId) {
        Map<String, String> labels = namespace.getMetadata().getLabels() == null ? Map.of() : namespace.getMetadata().getLabels();
        String name = namespace.getMetadata().getName();
        if (!TenantManifests.PROVISIONER.equals(labels.get(TenantManifests.MANAGED_BY))) {
            return "namespace " + name + " was not made by the control plane (no label " + TenantManifests.MANAGED_BY + "="
                    + TenantManifests.PROVISIONER + "): it is left as it is";
        }
        if (!orderId.toString().equals(labels.get(TenantManifests.ORDER))) {
            return "namespace " + name + " belongs to order " + labels.get(TenantManifests.ORDER) + ", not " + orderId
                    + ": it is left as it is";
        }
        return null;
    }

    /** A blocking call of the client, {@code doing} what (e.g. "reading namespace tenant-x"); a refusal says the API server's reason. */
    static <T> T call(String doing, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw refused(doing, e);
        }
    }

    private static void requireOwned(Namespace namespace, UUID orderId) {
        String reason = notOwned(namespace, orderId);
        if (reason != null) {
            throw new KubernetesFailure(reason);
        }
    }

    private static String what(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return object.getKind() + " " + object.getMetadata().getName() + (namespace == null ? "" : " in " + namespace);
    }

    // The Status the API server answered says why (e.g. "exceeded quota: ..."); fabric8's message wraps it in the URL.
    private static KubernetesFailure refused(String doing, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new KubernetesFailure(doing + " failed" + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "") + ": " + reason);
    }

    // Whether everything wanted is there already: what the cluster added (uid, status, defaults) does not count.
    private static boolean covers(KubernetesClient client, HasMetadata existing, HasMetadata wanted) {
        var serialization = client.getKubernetesSerialization();
        return covers(serialization.convertValue(existing, JsonNode.class), serialization.convertValue(wanted, JsonNode.class));
    }

    private static boolean covers(JsonNode existing, JsonNode wanted) {
        if (existing == null || existing.isNull()) {
            return wanted.isNull() || wanted.isEmpty() && wanted.isContainerNode();
        }
        if (wanted.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!covers(existing.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return existing.isObject();
        }
        if (wanted.isArray()) {
            if (!existing.isArray() || existing.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!covers(existing.get(i), wanted.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return existing.equals(wanted) || existing.isValueNode() && existing.asText().equals(wanted.asText())
                || sameQuantity(existing.asText(), wanted.asText());
    }

    // The API server may write a quantity back in another form than it was sent ("1000m" as "1").
    private static boolean sameQuantity(String existing, String wanted) {
        if (!QUANTITY.matcher(existing).matches() || !QUANTITY.matcher(wanted).matches()) {
            return false;
        }
        return Quantity.getAmountInBytes(new Quantity(existing)).compareTo(Quantity.getAmountInBytes(new Quantity(wanted))) == 0;
    }
}
