package io.dotmac.billing.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** A Stripe webhook event already applied to a payment or a subscription, by Stripe's event id. */
@Entity
@Table(name = "stripe_webhook_events")
public class ProcessedWebhookEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "payment_id")
    public UUID paymentId;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    static ProcessedWebhookEvent of(String eventId, String eventType, String tenantId, UUID paymentId) {
        ProcessedWebhookEvent event = received(eventId, eventType, tenantId);
        event.paymentId = paymentId;
        return event;
    }

    static ProcessedWebhookEvent ofSubscription(String eventId, String eventType, String tenantId, UUID subscriptionId) {
        ProcessedWebhookEvent event = received(eventId, eventType, tenantId);
        event.subscriptionId = subscriptionId;
        return event;
    }

    private static ProcessedWebhookEvent received(String eventId, String eventType, String tenantId) {
        ProcessedWebhookEvent event = new ProcessedWebhookEvent();
        event.eventId = eventId;
        event.eventType = eventType;
        event.tenantId = tenantId;
        event.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return event;
    }
}
