package io.dotmac.billing.payment.rest;

import io.dotmac.billing.payment.PaymentService;
import io.dotmac.billing.payment.PaymentTerms;
import io.dotmac.billing.payment.PaymentTerms.Requested;
import io.dotmac.billing.payment.mapping.PaymentMapper;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
 * Payments of this tenant: take one for a quote ({@code process_payment}), read them back, and give
 * one back (a refund) when the journey it paid for fails for good.
 */
@Path(PaymentResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payments")
@SecurityRequirement(name = "bearer")
public class PaymentResource {

    static final String PATH = "/api/v1/billing/payments";

    private final PaymentService payments;
    private final PaymentTerms terms;
    private final StripeGateway stripe;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;

    PaymentResource(PaymentService payments, PaymentTerms terms, StripeGateway stripe, IdempotencyService idempotency,
                    CurrentTenant tenant) {
        this.payments = payments;
        this.terms = terms;
        this.stripe = stripe;
        this.idempotency = idempotency;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Take the payment for an accepted quote through Stripe (process_payment), of the quote's total in "
            + "its currency as crm-service reports them: 201 with the payment (pending with the checkout_url of the Stripe "
            + "Checkout page the customer pays on; or, with a configured payment method, as Stripe took it: succeeded, "
            + "failed when declined, pending until the webhook); 200 with the existing payment, without "
            + "calling Stripe, if the quote has one; 422 if the request's amount, currency or customer_email differ from "
            + "the quote's or crm-service does not know it; 409 if the quote is not accepted; 503 (retryable) if Stripe "
            + "or crm-service is unavailable or Stripe is not configured. Honours Idempotency-Key, which also keys the "
            + "calls to Stripe.")
    @Idempotent(checksFirst = true)
    public Uni<Response> process(@HeaderParam(IdempotencyService.HEADER) String key,
                                 @Valid @NotNull ProcessPaymentRequest body) {
        String tenantId = tenant.id();
        Requested request = PaymentMapper.toRequested(body);
        stripe.requireConfigured();
        // The price comes from the quote; the pending payment is committed first (see PaymentService),
        // keyed for Stripe by the Idempotency-Key; the key's transaction then covers Stripe's answer
        // and the response.
        return terms.of(request).chain(payment -> payments.reserve(tenantId, payment, key)).chain(reserved -> idempotency.run(
                () -> payments.process(tenantId, reserved.id).map(processed -> Response
                        .status(processed.charged() ? Response.Status.CREATED : Response.Status.OK)
                        .entity(PaymentMapper.toResponse(processed.payment())).build())));
    }

    @POST
    @Path("/{id}/refund")
    @Consumes(MediaType.APPLICATION_JSON) // or no body and no Content-Type: OptionalJsonBody
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Refund a succeeded payment in full through Stripe (optional body {\"reason\": at most 500 "
            + "characters, no control characters}): 200 with the payment, refunded, with refunded_at and stripe_refund_id; "
            + "200 with it unchanged, without calling Stripe, if it is refunded already (one refund at Stripe however "
            + "often and concurrently asked); 409 naming its status if it is pending or failed; 404 if unknown or another "
            + "tenant's; 400 for an invalid reason; 502 if Stripe refuses the refund and 503 (retryable) if Stripe is "
            + "unavailable or not configured, the payment staying succeeded. Honours Idempotency-Key; Stripe's is "
            + "<payment id>:refund.")
    @Idempotent
    public Uni<Response> refund(@PathParam("id") String id, @Valid RefundPaymentRequest body) {
        return payments.refund(tenant.id(), id, PaymentMapper.reasonOf(body))
                .map(payment -> Response.ok(PaymentMapper.toResponse(payment)).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One payment (404 if unknown or another tenant's)")
    public Uni<PaymentResponse> get(@PathParam("id") String id) {
        return payments.get(tenant.id(), id).map(PaymentMapper::toResponse);
    }

    @GET
    @Path("/by-quote/{quote_id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The payment for a quote (404 if the quote has none)")
    public Uni<PaymentResponse> byQuote(@PathParam("quote_id") String quoteId) {
        return payments.byQuote(tenant.id(), quoteId).map(PaymentMapper::toResponse);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "This tenant's payments, newest first; ?page= from 0, ?size= 1 to 100 (default 20)")
    public Uni<Page<PaymentResponse>> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        return payments.list(tenant.id(), PageRequest.of(page, size)).map(result -> result.map(PaymentMapper::toResponse));
    }
}
