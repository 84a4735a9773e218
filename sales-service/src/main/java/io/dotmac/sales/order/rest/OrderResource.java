package io.dotmac.sales.order.rest;

import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.sales.order.OrderFilter;
import io.dotmac.sales.order.OrderService;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.order.OrderViews;
import io.dotmac.sales.order.mapping.OrderMapper;
import io.dotmac.sales.order.rest.OrderRequests.CreateOrderFromQuote;
import io.dotmac.sales.order.rest.OrderRequests.SubmitOrder;
import io.dotmac.sales.provisioning.OrderProcessor;
import io.dotmac.sales.provisioning.ProvisioningAdmission;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Orders of the caller's tenant: made from accepted quotes, submitted, processed (which provisions
 * the customer tenant, its deployment and its services), cancelled (which tears them down). Every write honours
 * {@code Idempotency-Key}; the workflow engine calls these as {@code sales_service.*}.
 */
@Path(OrderResource.BASE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Orders")
@SecurityRequirement(name = "bearer")
public class OrderResource {

    static final String BASE = "/api/v1/sales/orders";

    private final OrderService orders;
    private final OrderProcessor processor;
    private final ProvisioningAdmission admission;
    private final OrderViews views;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;

    OrderResource(OrderService orders, OrderProcessor processor, ProvisioningAdmission admission, OrderViews views,
                  IdempotencyService idempotency, CurrentTenant tenant) {
        this.orders = orders;
        this.processor = processor;
        this.admission = admission;
        this.views = views;
        this.idempotency = idempotency;
        this.tenant = tenant;
    }

    @POST
    @Path("/from-quote")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The order of an accepted quote (read from crm-service): 201 when made now, 200 when it existed; "
            + "409 if the quote is not accepted, 422 if crm-service does not know it, 503 if crm-service is unavailable")
    @Idempotent
    public Uni<Response> createFromQuote(@Valid @NotNull CreateOrderFromQuote body) {
        return orders.createFromQuote(tenant.id(), body.quoteId()).map(created -> created.isNew()
                ? Response.created(URI.create(BASE + "/" + created.view().order().id)).entity(OrderMapper.toDto(created.view())).build()
                : Response.ok(OrderMapper.toDto(created.view())).build());
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Orders, newest first, optionally of one status and of one customer organization "
            + "(?organization_slug=); ?page= from 0, ?size= 1 to 100 (default 20)")
    public Uni<Page<OrderDto>> list(@QueryParam("status") String status, @QueryParam("organization_slug") String slug,
                                    @QueryParam("page") String page, @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        OrderFilter filter = new OrderFilter(status == null || status.isBlank() ? null : OrderStatus.parse("status", status),
                slug == null || slug.isBlank() ? null : slug.trim());
        return views.list(tenant.id(), filter, request).map(found -> found.map(OrderMapper::toDto));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One order with its customer tenant, deployment and service activations")
    public Uni<OrderDto> get(@PathParam("id") UUID id) {
        return views.get(tenant.id(), id).map(OrderMapper::toDto);
    }

    @GET
    @Path("/by-external-id/{externalOrderId}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The order with this external_order_id (QUOTE-<quote number>)")
    public Uni<OrderDto> byExternalId(@PathParam("externalOrderId") String externalOrderId) {
        return views.byExternalId(tenant.id(), externalOrderId).map(OrderMapper::toDto);
    }

    @POST
    @Path("/{id}/submit")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a draft; with auto_activate also process it (and resume a failed one). "
            + "Submitting an order that is submitted or active already returns it unchanged; a cancelled one is 409; "
            + "503 with Retry-After when too many orders are submitted or processed at once")
    // Admission first, then the key: processing resumes where it stopped and commits each part by
    // itself, so the key holds no transaction around it, only its answer.
    @Idempotent(checksFirst = true)
    public Uni<Response> submit(@PathParam("id") UUID id, SubmitOrder body) {
        String tenantId = tenant.id();
        boolean activate = body != null && body.activate();
        return admission.admit(idempotency.runUnlocked(
                () -> processor.submit(tenantId, id, activate).map(view -> Response.ok(OrderMapper.toDto(view)).build())));
    }

    @POST
    @Path("/{id}/process")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Provision an order: customer tenant, deployment, service activations, then active. "
            + "A draft is submitted first (once its quote is paid, as for submit); "
            + "a failed order resumes where it stopped; an active one is returned unchanged. "
            + "A provisioning failure leaves the order failed with the reason and answers 502 (retryable), a taken slug 409; "
            + "a cancelled order is 409, also when it was cancelled while being processed (processing stops there); "
            + "503 with Retry-After when too many orders are submitted or processed at once")
    @Idempotent(checksFirst = true)
    public Uni<Response> process(@PathParam("id") UUID id) {
        String tenantId = tenant.id();
        return admission.admit(idempotency.runUnlocked(
                () -> processor.process(tenantId, id).map(view -> Response.ok(OrderMapper.toDto(view)).build())));
    }

    // The undo of a journey that failed for good (its compensation), so any order may be cancelled,
    // active ones too. It tears down customer deployments: not for readers.
    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Cancel an order, whatever its status, tearing down what it provisioned: its service "
            + "activations, deployment and customer tenant are kept, marked deprovisioned with the time (the tenant "
            + "keeps its slug). 200 with the order cancelled; a cancelled order is returned unchanged, and submitting "
            + "or processing it is 409. 502 if the teardown failed (nothing changed; cancelling again retries), or did not "
            + "finish in time (the order is cancelled and its teardown goes on); "
            + "403 for a reader")
    // The key holds no transaction around it: the cancel commits by itself, then waits for the teardown.
    @Idempotent(checksFirst = true)
    public Uni<Response> cancel(@PathParam("id") UUID id) {
        String tenantId = tenant.id();
        return idempotency.runUnlocked(() -> orders.cancel(tenantId, id).map(view -> Response.ok(OrderMapper.toDto(view)).build()));
    }
}
