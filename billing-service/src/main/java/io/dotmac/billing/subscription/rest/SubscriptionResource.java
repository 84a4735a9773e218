package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.Subscription;
import io.dotmac.billing.subscription.SubscriptionCancellation;
import io.dotmac.billing.subscription.SubscriptionService;
import io.dotmac.billing.subscription.mapping.SubscriptionMapper;
import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * This tenant's subscriptions on Stripe Billing and their invoices, read as Stripe's webhooks
 * reported them; a subscription set to end at its period's end or to renew again, and the link that
 * lets its customer end it themselves.
 */
@Path("/api/v1/billing/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final SubscriptionCancellation cancellation;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;

    SubscriptionResource(SubscriptionService subscriptions, SubscriptionCancellation cancellation, IdempotencyService idempotency,
                         CurrentTenant tenant) {
        this.subscriptions = subscriptions;
        this.cancellation = cancellation;
        this.idempotency = idempotency;
        this.tenant = tenant;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One subscription with its invoices, the latest period first (404 if unknown or another tenant's)")
    public Uni<SubscriptionResponse> get(@PathParam("id") String id) {
        return subscriptions.get(tenant.id(), id).chain(this::withInvoices);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "This tenant's subscriptions, newest first, without their invoices; ?quote_id= only the quote's; "
            + "?page= from 0, ?size= 1 to 100 (default 20)")
    public Uni<Page<SubscriptionResponse>> list(@QueryParam("quote_id") String quoteId, @QueryParam("page") String page,
                                                @QueryParam("size") String size) {
        return subscriptions.list(tenant.id(), quoteId, PageRequest.of(page, size))
                .map(result -> result.map(subscription -> SubscriptionMapper.toResponse(subscription, null)));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON) // or no body and no Content-Type: OptionalJsonBody
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Cancel the subscription at its period's end through Stripe (cancel_at_period_end; optional body "
            + "{\"reason\": at most 500 characters, no control characters}, logged): it runs until current_period_end, is "
            + "not renewed, then ends (billing.subscription.cancelled). 200 with the subscription and its invoices, "
            + "cancel_at_period_end true as Stripe answered; 200 with it unchanged, without calling Stripe, if it is set "
            + "already; 404 if unknown or another tenant's; 409 if it has ended; 400 for an invalid reason; 422 if "
            + "Stripe refuses the change and 503 (retryable) if Stripe is unavailable or not configured, the subscription "
            + "staying as it was. Honours Idempotency-Key.")
    @Idempotent(checksFirst = true)
    public Uni<Response> cancel(@PathParam("id") String id, @Valid SubscriptionChangeRequest body) {
        return cancelAtPeriodEnd(id, true, body);
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON) // or no body and no Content-Type: OptionalJsonBody
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Undo a cancellation at the period's end before the period ends (cancel_at_period_end false "
            + "through Stripe; optional body {\"reason\"} as for cancel): the subscription renews again. 200 with it and its "
            + "invoices; 200 unchanged, without calling Stripe, if it was not set to cancel; 404 if unknown or another "
            + "tenant's; 409 if it has ended; 422 or 503 (retryable) as for cancel. Honours Idempotency-Key.")
    @Idempotent(checksFirst = true)
    public Uni<Response> resume(@PathParam("id") String id, @Valid SubscriptionChangeRequest body) {
        return cancelAtPeriodEnd(id, false, body);
    }

    @POST
    @Path("/{id}/cancel-link")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "A link on which the subscription's customer cancels it at its period's end themselves, without an "
            + "account (what the receipt email carries): 200 {\"url\": \"<public base URL>/billing/cancel?token=...\", "
            + "\"expires_at\"}; whoever holds it may cancel this subscription until expires_at (billing.links.validity, "
            + "30 days by default), nothing else. Nothing is recorded. 404 if unknown or another tenant's; 409 if it has ended.")
    public Uni<CancelLinkResponse> cancelLink(@PathParam("id") String id) {
        return cancellation.link(tenant.id(), id).map(SubscriptionMapper::toLinkResponse);
    }

    // Idempotent by itself (Stripe is asked only to set what is not set), so nothing is held around it.
    private Uni<Response> cancelAtPeriodEnd(String id, boolean cancel, SubscriptionChangeRequest body) {
        String tenantId = tenant.id();
        return idempotency.runUnlocked(() -> cancellation.cancelAtPeriodEnd(tenantId, id, cancel, "tenant " + tenantId + "'s API call",
                        SubscriptionMapper.reasonOf(body))
                .chain(this::withInvoices).map(response -> Response.ok(response).build()));
    }

    private Uni<SubscriptionResponse> withInvoices(Subscription subscription) {
        return subscriptions.invoicesOf(subscription).map(invoices -> SubscriptionMapper.toResponse(subscription, invoices));
    }
}
