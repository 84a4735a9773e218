package io.dotmac.common.outbox;

import io.dotmac.common.tracing.Traceparent;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event waiting in the transactional outbox: written in the same transaction as the state
 * change it reports, published to Kafka afterwards, so that it exists if and only if that change
 * committed.
 */
@Entity
@Table(name = "outbox_events")
public class OutboxEvent extends PanacheEntityBase {

    /** The CloudEvent id; consumers de-duplicate by it. */
    @Id
    public UUID id;

    public String topic;

    /** The Kafka message key: the business id, so one aggregate's events stay in order. */
    @Column(name = "event_key")
    public String key;

    @Column(name = "event_type")
    public String type;

    @Column(name = "tenant_id")
    public String tenantId;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> payload;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    public int attempts;

    /** The trace the event was written in (W3C traceparent), null outside any. */
    public String traceparent;

    @Column(name = "last_error")
    public String lastError;

    public static OutboxEvent of(String topic, String key, String type, String tenantId, Map<String, Object> payload) {
        OutboxEvent event = new OutboxEvent();
        event.id = UUID.randomUUID();
        event.topic = topic;
        event.key = key;
        event.type = type;
        event.tenantId = tenantId;
        event.payload = payload;
        event.traceparent = Traceparent.current();
        return event;
    }
}
