package io.dotmac.billing.webhook;

import java.util.UUID;

/**
 * The answer to Stripe (any 2xx will do) and to whoever reads the logs: what became of the event.
 *
 * @param outcome {@code applied}, {@code duplicate} (already applied: nothing changed), {@code outdated}
 *                (older than what is recorded: nothing changed) or {@code ignored} (a type, a
 *                PaymentIntent or a subscription this service does not handle)
 * @param paymentId the payment the event was about, if it was about one
 * @param subscriptionId the subscription the event was about, if it was about one
 */
public record WebhookAck(boolean received, String eventId, String eventType, String outcome, UUID paymentId,
                         String paymentStatus, UUID subscriptionId, String subscriptionStatus) {
}
