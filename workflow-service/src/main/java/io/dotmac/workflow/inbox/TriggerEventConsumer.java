package io.dotmac.workflow.inbox;

import io.dotmac.common.config.EventTopics;
import io.dotmac.common.tracing.Traceparent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Receives the events that drive workflows ({@code crm.quote.accepted},
 * {@code billing.payment.received}, {@code billing.payment.updated}, and a subscription's
 * {@code billing.invoice.paid}, {@code billing.invoice.payment_failed} and
 * {@code billing.subscription.cancelled}, and the shop's {@code sales.cart.checked_out}), records each once in the inbox, and hands it to
 * {@link EventTriggers}. A message is acknowledged only after all of that is committed, so a
 * crash redelivers it instead of losing it; the redelivery's effects happen once.
 */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final InboxRepository inbox;
    private final EventTriggers triggers;
    private final EventTopics topics;

    public TriggerEventConsumer(InboxRepository inbox, EventTriggers triggers, EventTopics topics) {
        this.inbox = inbox;
        this.triggers = triggers;
        this.topics = topics;
    }

    @Incoming("quote-accepted")
    public Uni<Void> quoteAccepted(Message<String> message) {
        return record(message);
    }

    @Incoming("payment-received")
    public Uni<Void> paymentReceived(Message<String> message) {
        return record(message);
    }

    @Incoming("payment-updated")
    public Uni<Void> paymentUpdated(Message<String> message) {
        return record(message);
    }

    @Incoming("invoice-paid")
    public Uni<Void> invoicePaid(Message<String> message) {
        return record(message);
    }

    @Incoming("invoice-payment-failed")
    public Uni<Void> invoicePaymentFailed(Message<String> message) {
        return record(message);
    }

    @Incoming("subscription-cancelled")
    public Uni<Void> subscriptionCancelled(Message<String> message) {
        return record(message);
    }

    @Incoming("cart-checked-out")
    public Uni<Void> cartCheckedOut(Message<String> message) {
        return record(message);
    }

    private Uni<Void> record(Message<String> message) {
        // A record that is not a JSON object, or that the workflows it triggers cannot read, fails
        // and is nacked to the dead-letter topic; the consumer goes on with the next.
        return Uni.createFrom().item(() -> toInboxEvent(message, topics))
                .chain(event -> storeUntilCommitted(event).invoke(isNew -> {
                    if (isNew) {
                        LOG.infof("received %s event %s (key %s) from %s", event.type(), event.id(), event.key(), event.source());
                    } else {
                        LOG.infof("redelivered event %s from %s: its effects happen once", event.id(), event.source());
                    }
                }).chain(() -> untilDone(event, triggers.handle(event)
                        .onFailure(EventDeferredException.class).recoverWithUni(deferred -> defer(event, (EventDeferredException) deferred)))))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("event on %s sent to the dead-letter topic: %s", message.getMetadata(IncomingKafkaRecordMetadata.class)
                            .map(m -> ((IncomingKafkaRecordMetadata<?, ?>) m).getTopic()).orElse("?"), failure.getMessage());
                    return deadLettered(message, failure).chain(() -> Uni.createFrom().completionStage(message.nack(failure)));
                });
    }

    /** Counted for the overview, under the tenant its header names; best effort: the dead-letter topic has it anyway. */
    @SuppressWarnings("unchecked")
    private Uni<Void> deadLettered(Message<String> message, Throwable failure) {
        IncomingKafkaRecordMetadata<String, String> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        if (kafka == null) {
            return Uni.createFrom().voidItem();
        }
        return inbox.deadLettered(topics.ofRecord(kafka.getTopic()), header(kafka.getHeaders(), "ce_" + InboxEvent.TENANT_EXTENSION).orElse(null),
                        header(kafka.getHeaders(), "ce_id").orElse(null), String.valueOf(failure.getMessage()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not count the dead-lettered event on %s: %s", kafka.getTopic(), e.getMessage());
                    return null;
                });
    }

    private Uni<Void> defer(InboxEvent event, EventDeferredException deferred) {
        LOG.infof("event %s on %s waits in the inbox for %s s: %s", event.id(), event.topic(),
                deferred.retryAfter().toSeconds(), deferred.getMessage());
        return inbox.defer(event, deferred.retryAfter());
    }

    private Uni<Boolean> storeUntilCommitted(InboxEvent event) {
        return untilDone(event, inbox.insertIfAbsent(event));
    }

    // A database outage holds the partition (readiness turns DOWN) rather than dropping the
    // event to the dead-letter topic: nothing valid is lost, and order is kept. A malformed event
    // fails at once.
    private static <T> Uni<T> untilDone(InboxEvent event, Uni<T> work) {
        return work
                .onFailure(e -> !EventTriggers.isPermanent(e))
                .invoke(e -> LOG.warnf("could not process event %s yet, retrying: %s", event.id(), e.getMessage()))
                .onFailure(e -> !EventTriggers.isPermanent(e))
                .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).indefinitely();
    }

    /**
     * The event in a record: a binary-mode CloudEvent ({@code ce_*} headers, JSON data), a
     * structured-mode one ({@code application/cloudevents+json}), or a plain JSON record (identified
     * by its topic, partition and offset). The headers are read here rather than by the connector,
     * so that a malformed one sends the record to the dead-letter topic instead of stopping the channel.
     * The event's topic is the record's without the suite's prefix ({@link EventTopics}).
     */
    @SuppressWarnings("unchecked")
    static InboxEvent toInboxEvent(Message<String> message, EventTopics topics) {
        IncomingKafkaRecordMetadata<String, String> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        String topic = topics.ofRecord(kafka.getTopic());
        Headers headers = kafka.getHeaders();
        JsonObject value = new JsonObject(message.getPayload());
        if (header(headers, "content-type").filter(type -> type.startsWith("application/cloudevents+json")).isPresent()) {
            JsonObject data = value.getJsonObject("data", new JsonObject());
            return new InboxEvent(required(value.getString("source"), "source"), required(value.getString("id"), "id"),
                    topic, value.getString("type"), kafka.getKey(), time(value.getString("time")),
                    tenant(value.getString(InboxEvent.TENANT_EXTENSION), data), data,
                    Traceparent.valid(value.getString(Traceparent.CLOUD_EVENT_EXTENSION)));
        }
        Optional<String> id = header(headers, "ce_id");
        if (id.isEmpty()) {
            // Identified where it is stored: two namespaces' topics number their offsets alike.
            return new InboxEvent("kafka:" + kafka.getTopic(), kafka.getPartition() + "-" + kafka.getOffset(),
                    topic, null, kafka.getKey(), kafka.getTimestamp().atOffset(ZoneOffset.UTC),
                    tenant(null, value), value, null);
        }
        return new InboxEvent(required(header(headers, "ce_source").orElse(null), "ce_source"), id.get(), topic,
                header(headers, "ce_type").orElse(null), kafka.getKey(), time(header(headers, "ce_time").orElse(null)),
                tenant(header(headers, "ce_" + InboxEvent.TENANT_EXTENSION).orElse(null), value), value,
                Traceparent.valid(header(headers, "ce_" + Traceparent.CLOUD_EVENT_EXTENSION).orElse(null)));
    }

    private static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String required(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent without " + attribute);
        }
        return value;
    }

    private static String tenant(String extension, JsonObject data) {
        return extension != null ? extension : data.getString(InboxEvent.TENANT_FIELD);
    }

    // The event time is informative: one that does not parse is left out, the event still counts.
    private static OffsetDateTime time(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
