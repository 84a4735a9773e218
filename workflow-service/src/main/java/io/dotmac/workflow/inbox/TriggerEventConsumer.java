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
 * {@code billing.payment.received}) and records each once in the inbox. A message is
 * acknowledged only after its row is committed, so a crash redelivers it instead of losing it.
 */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final InboxRepository inbox;

    public TriggerEventConsumer(InboxRepository inbox) {
        this.inbox = inbox;
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
        // A record that is not a JSON object fails here and is nacked to the dead-letter topic.
        return Uni.createFrom().item(() -> toInboxEvent(message))
                .chain(event -> storeUntilCommitted(event).invoke(isNew -> {
                    if (isNew) {
                        LOG.infof("received %s event %s (key %s) from %s", event.type(), event.id(), event.key(), event.source());
                    } else {
                        LOG.infof("ignored redelivered event %s from %s", event.id(), event.source());
                    }
                }))
                .chain(ignored -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(message.nack(failure)));
    }

    // A database outage holds the partition (readiness turns DOWN) rather than dropping the
    // event to the dead-letter topic: nothing valid is lost, and order is kept.
    private Uni<Boolean> storeUntilCommitted(InboxEvent event) {
        return inbox.insertIfAbsent(event)
                .onFailure().invoke(e -> LOG.warnf("could not store event %s, retrying: %s", event.id(), e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).indefinitely();
    }

    @SuppressWarnings("unchecked")
    static InboxEvent toInboxEvent(Message<String> message) {
        IncomingKafkaRecordMetadata<String, String> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        IncomingCloudEventMetadata<String> ce = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (ce == null) {
            return new InboxEvent("kafka:" + kafka.getTopic(), kafka.getPartition() + "-" + kafka.getOffset(),
                    kafka.getTopic(), null, kafka.getKey(), kafka.getTimestamp().atOffset(ZoneOffset.UTC), new JsonObject(message.getPayload()));
        }
        OffsetDateTime time = ce.getTimeStamp().map(ZonedDateTime::toOffsetDateTime).orElse(null);
        return new InboxEvent(ce.getSource().toString(), ce.getId(), kafka.getTopic(), ce.getType(), kafka.getKey(),
                time, new JsonObject(message.getPayload()));
    }
}
