package io.dotmac.sales.provisioning.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Waits until a Deployment has rolled out, as {@code kubectl rollout status} judges it, or fails
 * with Kubernetes' reason: a {@code ReplicaFailure} condition (a pod the quota refuses), a
 * progress deadline exceeded, a pod of its current image that cannot pull it. Two informers (the
 * Deployment, its pods) report their changes as they come: no thread waits, nothing polls. Past
 * the timeout, the failure says what the Deployment's ReplicaSets and pods report (a first failed
 * pull, a crash: what may pass by itself does not end the wait early).
 */
final class Rollout {

    // The kubelet backs off after failed pulls; a first ErrImagePull may be a registry's hiccup.
    // CreateContainerConfigError: an image that runs as root, which the pods' runAsNonRoot refuses, say.
    private static final Set<String> HOPELESS = Set.of("ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError");

    private Rollout() {
    }

    /**
     * Completes when the Deployment, which the caller made, is available; fails with the reason when
     * it cannot become so or is deleted meanwhile, or with a {@link java.util.concurrent.TimeoutException}
     * after {@code timeout}. Not blocking.
     */
    static CompletableFuture<Void> watch(KubernetesClient client, String namespace, String name, Map<String, String> podLabels,
                                         String image, Duration timeout) {
        // The caller made the Deployment before it watches: none there is one deleted, with its order's
        // namespace (a cancel), and nothing more to wait for.
        CompletableFuture<List<Deployment>> deployment = client.apps().deployments().inNamespace(namespace).withName(name)
                .informOnCondition(found -> found.isEmpty() || found.stream().anyMatch(d -> available(d) || failure(d).isPresent()));
        CompletableFuture<List<Pod>> pods = client.pods().inNamespace(namespace).withLabels(podLabels)
                .informOnCondition(found -> found.stream().anyMatch(pod -> hopeless(pod, image).isPresent()));
        CompletableFuture<Void> outcome = CompletableFuture.anyOf(deployment, pods)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(ignored -> {
                    if (pods.isDone()) {
                        throw new KubernetesFailure("Deployment " + name + ": " + pods.join().stream()
                                .map(pod -> hopeless(pod, image)).flatMap(Optional::stream).findFirst().orElseThrow());
                    }
                    if (deployment.join().isEmpty()) {
                        throw new KubernetesFailure("Deployment " + name + " was deleted while it rolled out");
                    }
                    deployment.join().stream().map(Rollout::failure).flatMap(Optional::stream).findFirst().ifPresent(reason -> {
                        throw new KubernetesFailure("Deployment " + name + ": " + reason);
                    });
                });
        // Whatever the outcome, the informers stop (cancelling their futures closes their watches).
        outcome.whenComplete((ignored, failure) -> {
            deployment.cancel(false);
            pods.cancel(false);
        });
        return outcome;
    }

    /** Why the Deployment is not available after {@code timeout}, from its ReplicaSets and pods; blocking. */
    static KubernetesFailure notAvailable(KubernetesClient client, String namespace, String name, Map<String, String> podLabels,
                                          Duration timeout) {
        List<ReplicaSet> replicaSets = ClusterWrites.call("listing the ReplicaSets of " + name + " in " + namespace,
                () -> client.apps().replicaSets().inNamespace(namespace).withLabels(podLabels).list().getItems());
        List<Pod> pods = ClusterWrites.call("listing the pods of " + name + " in " + namespace,
                () -> client.pods().inNamespace(namespace).withLabels(podLabels).list().getItems());
        List<String> reasons = Stream.concat(
                replicaSets.stream().flatMap(rs -> conditions(rs).stream())
                        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                        .map(c -> c.getReason() + ": " + c.getMessage()),
                pods.stream().flatMap(pod -> containerStatuses(pod).filter(status -> waitingReason(status) != null)
                        .map(status -> "pod " + pod.getMetadata().getName() + ": " + waiting(status))))
                .distinct().toList();
        return new KubernetesFailure("Deployment " + name + " was not available within " + timeout
                + (reasons.isEmpty() ? " (its pods report no reason)" : ": " + String.join("; ", reasons)));
    }

    /** Rolled out: the latest spec observed, all its replicas updated and available, no old ones left. */
    static boolean available(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return false;
        }
        Long generation = deployment.getMetadata().getGeneration();
        if (generation != null && (status.getObservedGeneration() == null || status.getObservedGeneration() < generation)) {
            return false;
        }
        int wanted = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
        return updated >= wanted
                && Objects.requireNonNullElse(status.getReplicas(), 0) <= updated
                && Objects.requireNonNullElse(status.getAvailableReplicas(), 0) >= updated;
    }

    /** Why the Deployment cannot become available, as its conditions say. */
    static Optional<String> failure(Deployment deployment) {
        List<DeploymentCondition> conditions = deployment.getStatus() == null || deployment.getStatus().getConditions() == null
                ? List.of() : deployment.getStatus().getConditions();
        return conditions.stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())
                        || "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                .map(c -> c.getType() + " (" + c.getReason() + "): " + c.getMessage())
                .findFirst();
    }

    /**
     * A container of the pod, when it runs {@code image}, waiting for what will not come by itself: an
     * image that cannot be pulled. A pod of an earlier image (an old ReplicaSet's) is going anyway.
     */
    static Optional<String> hopeless(Pod pod, String image) {
        boolean current = pod.getSpec() != null && pod.getSpec().getContainers().stream().anyMatch(c -> image.equals(c.getImage()));
        return !current ? Optional.empty() : containerStatuses(pod).filter(status -> HOPELESS.contains(waitingReason(status)))
                .map(status -> "pod " + pod.getMetadata().getName() + ": " + waiting(status)).findFirst();
    }

    private static Stream<ContainerStatus> containerStatuses(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(Stream.ofNullable(pod.getStatus().getInitContainerStatuses()).flatMap(List::stream),
                Stream.ofNullable(pod.getStatus().getContainerStatuses()).flatMap(List::stream));
    }

    private static String waitingReason(ContainerStatus status) {
        return status.getState() == null || status.getState().getWaiting() == null ? null : status.getState().getWaiting().getReason();
    }

    private static String waiting(ContainerStatus status) {
        String message = status.getState().getWaiting().getMessage();
        return "container " + status.getName() + " " + waitingReason(status) + (message == null ? "" : ": " + message);
    }

    private static List<ReplicaSetCondition> conditions(ReplicaSet replicaSet) {
        return replicaSet.getStatus() == null || replicaSet.getStatus().getConditions() == null
                ? List.of() : replicaSet.getStatus().getConditions();
    }
}
