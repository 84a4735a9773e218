package io.dotmac.crm.lead.rest;

import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.crm.lead.LeadService;
import io.dotmac.crm.lead.LeadStatus;
import io.dotmac.crm.lead.mapping.LeadMapper;
import io.dotmac.crm.quote.QuoteService;
import io.dotmac.crm.quote.mapping.QuoteMapper;
import io.dotmac.crm.quote.rest.QuoteView;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Leads: taking them in, qualifying them, and generating and listing their quotes. The
 * workflow-service's {@code crm_service} operations call qualify, generate and get here, so these
 * paths stay as they are.
 */
@Path("/api/v1/crm/leads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads")
@SecurityRequirement(name = "bearer")
public class LeadResource {

    private static final String BASE = "/api/v1/crm/leads";

    private final LeadService leads;
    private final QuoteService quotes;
    private final CurrentTenant tenant;
    private final JsonWebToken token;

    LeadResource(LeadService leads, QuoteService quotes, CurrentTenant tenant, JsonWebToken token) {
        this.leads = leads;
        this.quotes = quotes;
        this.tenant = tenant;
        this.token = token;
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take in a lead (status new); 201 with the lead")
    @Idempotent
    public Uni<Response> create(@Valid @NotNull CreateLead body) {
        String caller = token.getName() != null ? token.getName() : token.getSubject();
        return leads.create(tenant.id(), LeadMapper.toLead(body, caller))
                .map(lead -> Response.created(URI.create(BASE + "/" + lead.id)).entity(LeadMapper.toView(lead)).build());
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The tenant's leads, newest first, optionally of one status (?status=new|qualified|disqualified|converted)")
    public Uni<Page<LeadView>> list(@QueryParam("status") String status, @QueryParam("page") String page,
                                    @QueryParam("size") String size) {
        LeadStatus filter = status == null || status.isBlank() ? null : LeadStatus.parse("status", status);
        return leads.list(tenant.id(), filter, PageRequest.of(page, size)).map(found -> found.map(LeadMapper::toView));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "A lead, with the outcome and reasons of its qualification")
    public Uni<LeadView> get(@PathParam("id") String id) {
        return leads.get(tenant.id(), PathIds.parse("lead", id)).map(LeadMapper::toView);
    }

    @POST
    @Path("/{id}/qualify")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Qualify the lead by the vendor's rules: 200 with status qualified, or disqualified with the"
            + " reasons; a qualified lead is returned unchanged; the body, if any, is ignored")
    @Idempotent
    public Uni<Response> qualify(@PathParam("id") String id) {
        return leads.qualify(tenant.id(), PathIds.parse("lead", id)).map(lead -> Response.ok(LeadMapper.toView(lead)).build());
    }

    @POST
    @Path("/{id}/quotes")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Generate a draft quote from a qualified lead's products at catalog prices; 201 with the quote,"
            + " 409 if the lead is not qualified; the body, if any, is ignored")
    @Idempotent
    public Uni<Response> generateQuote(@PathParam("id") String id) {
        return quotes.generate(tenant.id(), PathIds.parse("lead", id)).map(quote -> Response
                .created(URI.create("/api/v1/crm/quotes/" + quote.id))
                .entity(QuoteMapper.toView(quote, quotes.today())).build());
    }

    @GET
    @Path("/{id}/quotes")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The lead's quotes, newest first")
    public Uni<Page<QuoteView>> listQuotes(@PathParam("id") String id, @QueryParam("page") String page,
                                           @QueryParam("size") String size) {
        return quotes.listOfLead(tenant.id(), PathIds.parse("lead", id), PageRequest.of(page, size))
                .map(found -> found.map(quote -> QuoteMapper.toView(quote, quotes.today())));
    }
}
