package io.dotmac.licensing.license.rest;

import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.licensing.license.License;
import io.dotmac.licensing.license.LicenseService;
import io.dotmac.licensing.license.SeatChangeService;
import io.dotmac.licensing.license.SourceLicenses;
import io.dotmac.licensing.license.mapping.LicenseMapper;
import io.dotmac.licensing.signing.LicenseKeyVerifier;
import io.dotmac.licensing.signing.SigningKeys;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
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
import java.util.UUID;
import java.util.function.BiFunction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Licenses: issue, read, suspend, reinstate, revoke one or a quote's, renew, change the seats of or expire a quote's
 * (Bearer token); verify a key and get the public key (public).
 */
@Path(LicenseResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Licenses")
public class LicenseResource {

    static final String PATH = "/api/v1/licenses";

    private final LicenseService licenses;
    private final SeatChangeService seatChanges;
    private final SigningKeys keys;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;

    LicenseResource(LicenseService licenses, SeatChangeService seatChanges, SigningKeys keys, IdempotencyService idempotency,
                    CurrentTenant tenant) {
        this.licenses = licenses;
        this.seatChanges = seatChanges;
        this.keys = keys;
        this.idempotency = idempotency;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Issue one license per product of a purchase: 201 with the set, or 200 with the set issued before "
            + "for the same customer and quote. The source is the quote bought, read from crm-service: 422 unless the "
            + "customer is the quote's organization_slug, the products and quantities are the quote's items and the "
            + "billing_cycle, if given, the quote's (not given: the quote's); 422 for a quote unknown to crm-service or an "
            + "unknown product; 409 unless billing-service reports a succeeded payment of the quote's total; 503 "
            + "(retryable) if crm-service or billing-service cannot be asked. The set is keyed by crm-service's spelling "
            + "of the quote id")
    @Idempotent(checksFirst = true)
    public Uni<Response> issue(@Valid @NotNull IssueRequest body) {
        String tenantId = tenant.id();
        // crm-service and billing-service are asked first, outside the Idempotency-Key's transaction:
        // no database connection or key row is held meanwhile, and a refusal stores nothing.
        return licenses.bought(LicenseMapper.toCommand(body)).chain(bought -> idempotency.run(
                () -> licenses.issue(tenantId, bought)
                        .map(issued -> Response.status(issued.created() ? 201 : 200).entity(LicenseMapper.toSet(issued)).build())));
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "This tenant's licenses, newest first, of one customer when ?customer_id= is given (?page=&size=)")
    public Uni<Page<LicenseView>> list(@QueryParam("customer_id") String customerId, @QueryParam("page") String page,
                                       @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        String customer = customerId == null || customerId.isBlank() ? null : customerId.trim();
        return licenses.list(tenant.id(), customer, request).map(found -> found.map(LicenseMapper::toView));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "One license with its key")
    public Uni<LicenseView> get(@PathParam("id") UUID id) {
        return licenses.get(tenant.id(), id).map(LicenseMapper::toView);
    }

    @POST
    @Path("/{id}/suspend")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Put an operator's hold on a license (holds: operator): its key verifies as suspended until every hold "
            + "is lifted. Safe to repeat; 409 if it is revoked or expired with its subscription")
    @Idempotent
    public Uni<Response> suspend(@PathParam("id") UUID id) {
        return change(id, licenses::suspend);
    }

    @POST
    @Path("/{id}/reinstate")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Lift the operator's hold from a license: active again unless another hold (an unpaid invoice's) "
            + "remains. Without that hold, whatever its status, 200 and nothing changes")
    @Idempotent
    public Uni<Response> reinstate(@PathParam("id") UUID id) {
        return change(id, licenses::reinstate);
    }

    @POST
    @Path("/{id}/revoke")
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke a license for good (409 if it is revoked already): its key verifies as revoked")
    @Idempotent
    public Uni<Response> revoke(@PathParam("id") UUID id) {
        return change(id, licenses::revoke);
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    // Like the per-license revoke, which cannot be undone either: an operator undoes a journey through
    // the workflow-service's compensate, which calls this with the engine's token.
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke for good every license bought with a quote (source_id) that is not revoked yet, in one "
            + "transaction: 200 with how many this call revoked and all the source's licenses. Safe to repeat (then 0 "
            + "are revoked); a source without licenses in this tenant is 200 with none, not an error")
    @Idempotent
    public Uni<Response> revokeSource(@Valid @NotNull RevokeSourceRequest body) {
        return licenses.revokeSource(tenant.id(), body.sourceId().trim(), body.reason())
                .map(revoked -> Response.ok(LicenseMapper.toRevoked(revoked)).build());
    }

    @POST
    @Path("/renew")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Renew the licenses bought with a quote (source_id) for the period a paid invoice of its "
            + "subscription covers: each license not revoked that runs out before the invoice's period_end gets a new key "
            + "signed with that expiry (its earlier key stays valid until its own); one expired with its subscription stays "
            + "expired. billing-service must report the invoice paid (409 otherwise) and billing that quote (422 otherwise); "
            + "409 if the quote has no licenses here; 503 (retryable) if billing-service cannot be asked. Once per invoice: "
            + "asked again, 200 with renewed false")
    @Idempotent(checksFirst = true)
    public Uni<Response> renew(@Valid @NotNull RenewRequest body) {
        String tenantId = tenant.id();
        String sourceId = body.sourceId().trim();
        // billing-service is asked first, outside the Idempotency-Key's transaction, as for issue.
        return licenses.paidFor(sourceId, body.invoiceId().toString()).chain(invoice -> idempotency.run(
                () -> licenses.renew(tenantId, sourceId, invoice).map(renewed -> Response.ok(LicenseMapper.toRenewal(renewed)).build())));
    }

    @POST
    @Path("/change")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Give the licenses bought with a quote (source_id) the products and seats of a paid seat change of its "
            + "subscription (change_id, a quote of kind change), in one transaction: a license whose seats differ gets them under "
            + "a new key with the same expiry; its earlier keys stop verifying at once if it has fewer seats, and stay valid "
            + "until their own expiry if it has more (as a renewal's); a product new to the quote gets a "
            + "license with the others' expiry and holds; one no longer bought is revoked; revoked and expired licenses stay as "
            + "they are. crm-service must have the change quote accepted and changing source_id's subscription, and "
            + "billing-service must have made it to that subscription (422 otherwise), and applied, its proration paid (409 "
            + "otherwise); 409 if the quote has no licenses here, or none active or suspended; 503 (retryable) if crm-service "
            + "or billing-service cannot be asked. Changes apply in billing's order (sequence): one not newer than the latest "
            + "applied, or the same again, changes nothing (200 with changed false)")
    @Idempotent(checksFirst = true)
    public Uni<Response> change(@Valid @NotNull ChangeRequest body) {
        String tenantId = tenant.id();
        String sourceId = body.sourceId().trim();
        // crm-service and billing-service are asked first, outside the Idempotency-Key's transaction, as for issue.
        return seatChanges.paid(sourceId, body.changeId().toString()).chain(change -> idempotency.run(
                () -> seatChanges.apply(tenantId, change).map(changed -> Response.ok(LicenseMapper.toChange(changed)).build())));
    }

    @POST
    @Path("/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Put a hold (hold, operator when not given; dunning's is invoice:<id>) on every license bought with a "
            + "quote (source_id) that is active or suspended as stored, whatever its expires_at, in one transaction: each is "
            + "suspended, its keys verify as suspended, while any hold is on it. 200 with how many this call put the hold on "
            + "(0 when it is on already: safe to repeat) and all the source's licenses with their holds; revoked ones and "
            + "those expired with their subscription are left")
    @Idempotent
    public Uni<Response> suspendSource(@Valid @NotNull SourceHoldRequest body) {
        return licenses.suspendSource(tenant.id(), body.sourceId().trim(), body.hold(), body.reason()).map(LicenseResource::changed);
    }

    @POST
    @Path("/reinstate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Lift a hold (hold, operator when not given) from every license bought with a quote (source_id) that "
            + "has it, whatever its status or expiry, in one transaction (a late payment lifts its invoice's): each is active "
            + "again once no hold is left on it. 200 with how many this call lifted it from (0 when none had it: nothing to "
            + "lift is no error) and all the source's licenses with their holds")
    @Idempotent
    public Uni<Response> reinstateSource(@Valid @NotNull SourceHoldRequest body) {
        return licenses.reinstateSource(tenant.id(), body.sourceId().trim(), body.hold(), body.reason()).map(LicenseResource::changed);
    }

    @POST
    @Path("/expire")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE}) // final, like a revocation: nothing un-expires a license
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Expire at once every active or suspended license bought with a quote (source_id), in one transaction "
            + "(its subscription ended): expires_at becomes now if it was later, its keys, earlier ones too, verify as expired, "
            + "and no renewal extends it again. 200 with how many this call expired and all the source's licenses; safe to "
            + "repeat; revoked and expired ones are left; one past its date stays at its date")
    @Idempotent
    public Uni<Response> expireSource(@Valid @NotNull SourceLicensesRequest body) {
        return licenses.expireSource(tenant.id(), body.sourceId().trim(), body.reason()).map(LicenseResource::changed);
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "Check a license key (public): valid, or why not (malformed, bad_signature, unknown, expired, revoked, suspended)")
    public Uni<VerifyResponse> verify(@Valid @NotNull VerifyRequest body) {
        return licenses.verify(body.key()).map(LicenseMapper::toResponse);
    }

    @GET
    @Path("/public-key")
    @PermitAll
    @Operation(summary = "The Ed25519 public key that verifies license keys offline (public)")
    public PublicKey publicKey() {
        return new PublicKey(LicenseKeyVerifier.ALGORITHM, keys.keyId(), keys.publicKeyPem());
    }

    /** The answer to a change made to every license of a source. */
    private static Response changed(SourceLicenses changed) {
        return Response.ok(LicenseMapper.toStatusChange(changed)).build();
    }

    private Uni<Response> change(UUID id, BiFunction<String, UUID, Uni<License>> transition) {
        return transition.apply(tenant.id(), id).map(license -> Response.ok(LicenseMapper.toView(license)).build());
    }
}
