package io.dotmac.billing.webhook;

import java.util.UUID;

/**
 * The answer to Stripe (any 2xx will do) and to whoever reads the logs: what became of the event.
 *
 * @param outcome {@code applied}, {@code duplicate} (already applied: nothing changed) or
 *                {@code ignored} (a type or a PaymentIntent this service does not handle)
 */
public record WebhookAck(boolean received, String eventId, String eventType, String outcome, UUID paymentId,
                         String paymentStatus) {
}
