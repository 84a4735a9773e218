package io.dotmac.workflow.inbox;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * An event as it arrived from Kafka. Its identity is the CloudEvent's source and id; a record
 * without CloudEvent headers is identified by its topic, partition and offset.
 */
public record InboxEvent(
        String source,
        String id,
        String topic,
        String type,
        String key,
        OffsetDateTime time,
        JsonObject payload) {
}
