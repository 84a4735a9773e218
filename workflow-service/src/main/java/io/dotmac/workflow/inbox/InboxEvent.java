package io.dotmac.workflow.inbox;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * An event as it arrived from Kafka. Its identity is the CloudEvent's source and id; a record
 * without CloudEvent headers is identified by its topic, partition and offset. {@code tenant} is
 * null when the event names none.
 */
public record InboxEvent(
        String source,
        String id,
        String topic,
        String type,
        String key,
        OffsetDateTime time,
        String tenant,
        JsonObject payload,
        /** The trace it was published in (W3C traceparent, its CloudEvents extension), null if none or not one. */
        String traceparent) {

    /** Where the event's tenant travels: the CloudEvents extension attribute, else the data. */
    static final String TENANT_EXTENSION = "tenantid";
    static final String TENANT_FIELD = "tenant_id";
}
