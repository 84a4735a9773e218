package io.dotmac.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The workflow-service's consumer group of a run. The suite's topics (e2e.*) are shared with earlier
 * runs, so the group is new for every run and is committed at the topics' current ends
 * before the service starts: it sees exactly the events published from then on, with no race
 * between its first poll and the test's first event (which {@code auto.offset.reset=latest} alone
 * would have).
 */
final class KafkaGroups {

    private static final int PARTITIONS = 3;

    private KafkaGroups() {
    }

    /** Creates the topics that are missing (as deploy/local does), then commits {@code group} at their ends. */
    static void startAtEnd(String bootstrapServers, String group, List<String> topics) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = get(admin.listTopics().names());
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
            if (!missing.isEmpty()) {
                try {
                    get(admin.createTopics(missing).all());
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
            Map<TopicPartition, OffsetSpec> ends = described.values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> offsets = get(admin.listOffsets(ends).all());
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((tp, info) -> commit.put(tp, new OffsetAndMetadata(info.offset())));
            get(admin.alterConsumerGroupOffsets(group, commit).all());
        }
    }

    /** Removes the group of a finished run (best effort: it would expire on its own). */
    static void delete(String bootstrapServers, String group) {
        try (Admin admin = admin(bootstrapServers)) {
            get(admin.deleteConsumerGroups(List.of(group)).all());
        } catch (RuntimeException e) {
            System.out.println("[e2e] could not delete the consumer group " + group + ": " + e.getMessage());
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin call timed out (is the broker up?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
