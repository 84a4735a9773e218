package io.dotmac.notification.notification.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.rest.ProblemException;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.notification.client.ActiveOrders;
import io.dotmac.notification.client.OpenCheckouts;
import io.dotmac.notification.delivery.NotificationSender;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.notification.NotificationService;
import io.dotmac.notification.notification.NotificationService.Welcome;
import io.dotmac.notification.notification.mapping.NotificationView;
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
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Notifications of the caller's tenant: sending the payment request and the welcome email, and
 * reading delivery records. Each email is sent at most once per what it is about, however often
 * the engine asks.
 */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
@SecurityRequirement(name = "bearer")
public class NotificationResource {

    static final String WELCOME_PATH = "/api/v1/notifications/welcome-email";
    static final String PAYMENT_REQUEST_PATH = "/api/v1/notifications/payment-request";

    private final NotificationService notifications;
    private final NotificationSender sender;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;
    private final ActiveOrders activeOrders;
    private final OpenCheckouts openCheckouts;

    NotificationResource(NotificationService notifications, NotificationSender sender, IdempotencyService idempotency,
            CurrentTenant tenant, ActiveOrders activeOrders, OpenCheckouts openCheckouts) {
        this.notifications = notifications;
        this.sender = sender;
        this.idempotency = idempotency;
        this.tenant = tenant;
        this.activeOrders = activeOrders;
        this.openCheckouts = openCheckouts;
    }

    /**
     * Asks billing-service for the quote's payment before any transaction, as sendWelcome asks
     * about orders; a refusal stores nothing. Recipient, amount and link are the payment's, so a
     * caller can only have billing's own customer asked to pay billing's own page.
     */
    @POST
    @Path("/payment-request")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Email the customer of an accepted quote the link to pay it on its Stripe Checkout page; recipient, "
            + "amount, currency and link are billing-service's payment of quote_id; 202 with the notification (sent, or "
            + "queued for retries), one per quote and checkout page however often asked; 409 unless that payment is "
            + "pending with a checkout page still open, 503 (retryable) if billing-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    public Uni<Response> sendPaymentRequest(@HeaderParam(IdempotencyService.HEADER) String key,
            @Valid @NotNull PaymentRequestEmailRequest body) {
        String tenantId = tenant.id();
        return openCheckouts.requireOpen(body.quoteId())
                .chain(payment -> recordAndAttempt(tenantId, key, PAYMENT_REQUEST_PATH, body,
                        () -> notifications.recordPaymentRequest(tenantId, payment)));
    }

    /**
     * Asks sales-service and billing-service whether the organization has a paid, active order to
     * the address, before any transaction: no pooled connection or Idempotency-Key row lock is held
     * during those calls, and a refusal stores nothing, not even under the key. Then records the
     * welcome email (or finds the one recorded before) and commits it, and makes the first attempt
     * outside that transaction; answers with the notification as it stands then.
     */
    @POST
    @Path("/welcome-email")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Send the welcome email of a new customer platform; 202 with the notification (sent, or queued for "
            + "retries); 409 unless sales-service has an active order for tenant_subdomain to customer_email whose quote "
            + "billing-service reports paid in full, 503 (retryable) if sales-service or billing-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    public Uni<Response> sendWelcome(@HeaderParam(IdempotencyService.HEADER) String key,
            @Valid @NotNull WelcomeEmailRequest body) {
        String tenantId = tenant.id();
        Welcome welcome = new Welcome(body.customerEmail(), body.tenantSubdomain(), body.customerName());
        return activeOrders.requireActive(welcome.tenantSubdomain(), welcome.customerEmail())
                .chain(() -> recordAndAttempt(tenantId, key, WELCOME_PATH, body, () -> notifications.recordWelcome(tenantId, welcome)));
    }

    // Records the notification under the Idempotency-Key and commits it, then makes the first
    // attempt outside that transaction and answers with the notification as it stands then. A
    // replay sends nothing new: the attempt only happens if the notification is still due.
    private Uni<Response> recordAndAttempt(String tenantId, String key, String path, Object body,
            Supplier<Uni<Notification>> record) {
        return idempotency.run(key, "POST", path, body, () -> record.get().map(n -> Response.accepted(NotificationView.of(n)).build()))
                .chain(recorded -> {
                    UUID id = idOf(recorded.getEntity());
                    boolean replayed = recorded.getHeaderString(IdempotencyService.REPLAYED_HEADER) != null;
                    return sender.attempt(id)
                            .chain(() -> notifications.get(tenantId, id))
                            .map(n -> {
                                Response.ResponseBuilder response = Response.accepted(NotificationView.of(n));
                                return replayed ? response.header(IdempotencyService.REPLAYED_HEADER, "true").build() : response.build();
                            });
                });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One notification with its delivery record")
    public Uni<NotificationView> get(@PathParam("id") UUID id) {
        return notifications.get(tenant.id(), id)
                .onItem().ifNull().failWith(() -> new ProblemException(404, "No notification " + id))
                .map(NotificationView::of);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The tenant's notifications, to one recipient if ?recipient= is given, newest first, paginated")
    public Uni<Page<NotificationView>> list(@QueryParam("recipient") String recipient, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        String to = recipient == null || recipient.isBlank() ? null : recipient.strip();
        return notifications.list(tenant.id(), to, request).map(p -> p.map(NotificationView::of));
    }

    // The entity of a response just made, or the JSON of a replayed one.
    private static UUID idOf(Object entity) {
        if (entity instanceof NotificationView view) {
            return view.id();
        }
        return UUID.fromString(((JsonNode) entity).get("id").asText());
    }
}
