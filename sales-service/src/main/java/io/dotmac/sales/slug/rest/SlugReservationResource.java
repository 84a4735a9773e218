package io.dotmac.sales.slug.rest;

import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.sales.slug.SlugReservation;
import io.dotmac.sales.slug.SlugReservations;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Organization slug reservations, platform-wide (crm-service reserves a lead's slug when it
 * qualifies the lead). PUT is idempotent: the same lead asking again gets its reservation, extended.
 */
@Path("/api/v1/sales/slug-reservations/{slug}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Slug reservations")
@SecurityRequirement(name = "bearer")
public class SlugReservationResource {

    /** The body of a reservation: the lead, and until when (absent: for good). */
    public record Reserve(@NotBlank @Size(max = 100) String leadId, OffsetDateTime expiresAt) {
    }

    public record ReservationView(String slug, String leadId, OffsetDateTime expiresAt, OffsetDateTime createdAt,
                                  OffsetDateTime updatedAt) {
        static ReservationView of(SlugReservation reservation) {
            return new ReservationView(reservation.slug, reservation.leadId, reservation.expiresAt, reservation.createdAt,
                    reservation.updatedAt);
        }
    }

    private final SlugReservations reservations;
    private final CurrentTenant tenant;

    SlugReservationResource(SlugReservations reservations, CurrentTenant tenant) {
        this.reservations = reservations;
        this.tenant = tenant;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Reserve the slug for a lead until expires_at (absent: for good), or extend the lead's reservation: "
            + "200 with it; 409 if another lead, of any tenant, holds it or has a customer tenant under it")
    public Uni<ReservationView> reserve(@PathParam("slug") String slug, @Valid @NotNull Reserve body) {
        return reservations.reserve(tenant.id(), slug, body.leadId().trim(), body.expiresAt()).map(ReservationView::of);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "This tenant's reservation of the slug (404 if none, or another tenant's)")
    public Uni<ReservationView> get(@PathParam("slug") String slug) {
        return reservations.get(tenant.id(), slug).map(ReservationView::of);
    }

    @DELETE
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Release the lead's reservation (?lead_id=): 204; 404 if the lead holds none; 409 if held for good, "
            + "unless ?unpaid_quote= names the lead's accepted quote whose payment billing-service reports failed and of "
            + "which no order exists (the quote lapsed unpaid)")
    public Uni<Response> release(@PathParam("slug") String slug, @QueryParam("lead_id") String leadId,
                                 @QueryParam("unpaid_quote") String unpaidQuote) {
        if (leadId == null || leadId.isBlank()) {
            throw new InvalidRequest("lead_id: required, the lead whose reservation is released");
        }
        if (unpaidQuote != null && (unpaidQuote.isBlank() || unpaidQuote.length() > 100)) {
            throw new InvalidRequest("unpaid_quote: the id (at most 100 characters) of the lead's accepted quote that was never paid");
        }
        Uni<Void> released = unpaidQuote == null ? reservations.release(tenant.id(), slug, leadId.trim())
                : reservations.releaseUnpaid(tenant.id(), slug, leadId.trim(), unpaidQuote.trim());
        return released.replaceWith(Response.noContent().build());
    }
}
