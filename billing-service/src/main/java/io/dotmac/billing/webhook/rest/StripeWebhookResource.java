package io.dotmac.billing.webhook.rest;

import io.dotmac.billing.webhook.StripeWebhooks;
import io.dotmac.billing.webhook.WebhookAck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stripe's webhook endpoint. No token: the {@code Stripe-Signature} header authenticates it, over
 * the body exactly as received, so the body is read as text, never re-serialised.
 */
@Path("/api/v1/billing/webhooks/stripe")
@Tag(name = "Stripe webhook")
public class StripeWebhookResource {

    private final StripeWebhooks webhooks;

    StripeWebhookResource(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe events (payment_intent.succeeded, payment_intent.payment_failed, charge.refunded, "
            + "checkout.session.*, invoice.paid, invoice.payment_failed, invoice.voided, invoice.marked_uncollectible, "
            + "customer.subscription.*), signed "
            + "with the endpoint secret: 200 once applied, or when replayed or of another type (then nothing changes); "
            + "400 if the signature is missing, wrong or outside the tolerance")
    public Uni<WebhookAck> receive(String payload, @HeaderParam("Stripe-Signature") String signature) {
        return webhooks.handle(webhooks.verify(payload, signature));
    }
}
