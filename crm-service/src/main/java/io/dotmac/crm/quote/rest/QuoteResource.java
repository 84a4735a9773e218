package io.dotmac.crm.quote.rest;

import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.crm.lead.mapping.LeadMapper;
import io.dotmac.crm.quote.CartCheckoutService;
import io.dotmac.crm.quote.Quote;
import io.dotmac.crm.quote.QuoteService;
import io.dotmac.crm.quote.mapping.QuoteMapper;
import io.dotmac.crm.rest.PathIds;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Quotes by id and their transitions. Every transition honours {@code Idempotency-Key}; an illegal
 * one is 409 with the quote's status in the detail. (Generating and listing a lead's quotes live
 * under the lead: {@code /api/v1/crm/leads/{id}/quotes}.) The shop's checkout makes its accepted
 * quote from a cart here ({@code from-cart}).
 */
@Path("/api/v1/crm/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Quotes")
@SecurityRequirement(name = "bearer")
public class QuoteResource {

    private final QuoteService quotes;
    private final CartCheckoutService checkouts;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;
    private final JsonWebToken token;

    QuoteResource(QuoteService quotes, CartCheckoutService checkouts, IdempotencyService idempotency, CurrentTenant tenant,
                  JsonWebToken token) {
        this.quotes = quotes;
        this.checkouts = checkouts;
        this.idempotency = idempotency;
        this.tenant = tenant;
        this.token = token;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "A quote: its items, total, customer fields, status (as of today) and validity")
    public Uni<QuoteView> get(@PathParam("id") String id) {
        UUID quoteId = PathIds.parse("quote", id);
        return quotes.get(tenant.id(), quoteId).map(this::view);
    }

    @POST
    @Path("/from-cart")
    @RolesAllowed(Roles.SERVICE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The shop's checkout (the workflow engine's call): the cart becomes a lead (source shop) and a quote "
            + "priced from crm's catalog, qualified and accepted as any; crm.quote.accepted carries source and cart_id. "
            + "One quote per cart: a call again resumes or answers with it. 201 when accepted now, 200 when it was already; "
            + "409 when the cart's prices, quantities, total or currency are not the quote's (naming the first difference; "
            + "nothing is accepted), when the slug is someone else's, or when the cart was checked out with another customer; "
            + "422 when qualification refuses the cart (with the reasons)")
    // Each step commits by itself and the next call resumes after it, so the key holds no
    // transaction around the work, only its answer (two calls at once take turns on the cart's lead).
    @Idempotent(checksFirst = true)
    public Uni<Response> fromCart(@Valid @NotNull QuoteFromCart body) {
        String tenantId = tenant.id();
        return idempotency.runUnlocked(() -> checkouts.checkout(tenantId, QuoteMapper.toCart(body)).map(done -> done.now()
                ? Response.created(URI.create("/api/v1/crm/quotes/" + done.quote().id)).entity(view(done.quote())).build()
                : Response.ok(view(done.quote())).build()));
    }

    @POST
    @Path("/{id}/changes")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Quote a change of the seats of the subscription an accepted quote started: a draft quote of kind change, "
            + "its products the subscription's new whole at today's prices; accepted, billing prorates it and licensing applies it")
    @Idempotent
    public Uni<Response> proposeChange(@PathParam("id") String id, @Valid @NotNull ChangeSeats body) {
        UUID quoteId = PathIds.parse("quote", id);
        return quotes.proposeChange(tenant.id(), quoteId, LeadMapper.toProducts(body.products())).map(quote -> Response
                .created(URI.create("/api/v1/crm/quotes/" + quote.id)).entity(view(quote)).build());
    }

    @POST
    @Path("/{id}/send")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Send a draft quote to the customer (draft → sent); the body, if any, is ignored")
    @Idempotent(checksFirst = true)
    public Uni<Response> send(@PathParam("id") String id) {
        UUID quoteId = PathIds.parse("quote", id);
        String tenantId = tenant.id();
        return transition(quoteId, () -> quotes.send(tenantId, quoteId));
    }

    @POST
    @Path("/{id}/accept")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept a sent, unexpired quote (sent → accepted): records who and when, converts the lead and emits crm.quote.accepted")
    @Idempotent(checksFirst = true)
    public Uni<Response> accept(@PathParam("id") String id, @Valid AcceptQuote body) {
        return acceptAs(id, body);
    }

    /** The same, for a request without a body (and so without a content type): accepted by the caller. */
    @POST
    @Path("/{id}/accept")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(hidden = true)
    @Idempotent(checksFirst = true)
    public Uni<Response> acceptWithoutBody(@PathParam("id") String id) {
        return acceptAs(id, null);
    }

    @POST
    @Path("/{id}/reject")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record that the customer declined a sent quote (sent → rejected), with the reason")
    @Idempotent(checksFirst = true)
    public Uni<Response> reject(@PathParam("id") String id, @Valid @NotNull RejectQuote body) {
        UUID quoteId = PathIds.parse("quote", id);
        String tenantId = tenant.id();
        return transition(quoteId, () -> quotes.reject(tenantId, quoteId, body.reason()));
    }

    @POST
    @Path("/{id}/lapse")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "An accepted quote whose payment was never made lapses (accepted → expired, with the reason): its "
            + "lead is no customer and its organization name is free again; 409 unless sales-service agrees (billing "
            + "reports the payment failed and no order of the quote exists), or for a quote not accepted; the same again "
            + "answers the lapsed quote")
    @Idempotent(checksFirst = true)
    public Uni<Response> lapse(@PathParam("id") String id, @Valid @NotNull RejectQuote body) {
        UUID quoteId = PathIds.parse("quote", id);
        String tenantId = tenant.id();
        return idempotency.run(() -> quotes.lapse(tenantId, quoteId, body.reason()).map(ok()));
    }

    private Uni<Response> acceptAs(String id, AcceptQuote body) {
        UUID quoteId = PathIds.parse("quote", id);
        String tenantId = tenant.id();
        String acceptedBy = body != null && body.acceptedBy() != null && !body.acceptedBy().isBlank() ? body.acceptedBy() : caller();
        return transition(quoteId, () -> quotes.accept(tenantId, quoteId, acceptedBy));
    }

    // The expiry of a quote past its date is stored first, in its own transaction, so that it is
    // recorded even though the transition is then refused because of it.
    private Uni<Response> transition(UUID id, Supplier<Uni<Quote>> change) {
        return quotes.expireIfDue(tenant.id(), id).chain(() -> idempotency.run(() -> change.get().map(ok())));
    }

    private Function<Quote, Response> ok() {
        return quote -> Response.ok(view(quote)).build();
    }

    private QuoteView view(Quote quote) {
        return QuoteMapper.toView(quote, quotes.today());
    }

    // The token's name (upn, else preferred_username, else sub).
    private String caller() {
        String name = token.getName();
        return name != null ? name : token.getSubject();
    }
}
