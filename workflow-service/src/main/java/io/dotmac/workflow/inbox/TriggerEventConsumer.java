package io.dotmac.workflow.inbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Receives the events that drive workflows ({@code crm.quote.accepted},
 * {@code billing.payment.received}), records each once in the inbox, and hands it to
 * {@link EventTriggers}. A message is acknowledged only after all of that is committed, so a
 * crash redelivers it instead of losing it; the redelivery's effects happen once.
 */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final InboxRepository inbox;
    private final EventTriggers triggers;

    public TriggerEventConsumer(InboxRepository inbox, EventTriggers triggers) {
        this.inbox = inbox;
        this.triggers = triggers;
    }

    @Incoming("quote-accepted")
    public Uni<Void> quoteAccepted(Message<String> message) {
        return record(message);
    }

    @Incoming("payment-received")
    public Uni<Void> paymentReceived(Message<String> message) {
        return record(message);
    }

    private Uni<Void> record(Message<String> message) {
        // A record that is not a JSON object, or that the workflows it triggers cannot read, fails
        // and is nacked to the dead-letter topic; the consumer goes on with the next.
        return Uni.createFrom().item(() -> toInboxEvent(message))
                .chain(event -> storeUntilCommitted(event).invoke(isNew -> {
                    if (isNew) {
                        LOG.infof("received %s event %s (key %s) from %s", event.type(), event.id(), event.key(), event.source());
                    } else {
                        LOG.infof("redelivered event %s from %s: its effects happen once", event.id(), event.source());
                    }
                }).chain(() -> untilDone(event, triggers.handle(event))))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("event on %s sent to the dead-letter topic: %s", message.getMetadata(IncomingKafkaRecordMetadata.class)
                            .map(m -> ((IncomingKafkaRecordMetadata<?, ?>) m).getTopic()).orElse("?"), failure.getMessage());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
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

    @SuppressWarnings("unchecked")
    static InboxEvent toInboxEvent(Message<String> message) {
        IncomingKafkaRecordMetadata<String, String> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        IncomingCloudEventMetadata<String> ce = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        JsonObject payload = new JsonObject(message.getPayload());
        String tenant = ce == null ? null : ce.getExtension(InboxEvent.TENANT_EXTENSION).map(Object::toString).orElse(null);
        if (tenant == null) {
            tenant = payload.getString(InboxEvent.TENANT_FIELD);
        }
        if (ce == null) {
            return new InboxEvent("kafka:" + kafka.getTopic(), kafka.getPartition() + "-" + kafka.getOffset(),
                    kafka.getTopic(), null, kafka.getKey(), kafka.getTimestamp().atOffset(ZoneOffset.UTC), tenant, payload);
        }
        OffsetDateTime time = ce.getTimeStamp().map(ZonedDateTime::toOffsetDateTime).orElse(null);
        return new InboxEvent(ce.getSource().toString(), ce.getId(), kafka.getTopic(), ce.getType(), kafka.getKey(),
                time, tenant, payload);
    }
}
