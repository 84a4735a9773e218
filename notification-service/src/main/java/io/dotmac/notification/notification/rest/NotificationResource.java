package io.dotmac.notification.notification.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.notification.client.ActiveOrders;
import io.dotmac.notification.client.InvoiceEmails;
import io.dotmac.notification.client.QuotePaymentEmails;
import io.dotmac.notification.client.ShopCheckouts;
import io.dotmac.notification.client.SuspendedPlatforms;
import io.dotmac.notification.delivery.NotificationSender;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.notification.NotificationService;
import io.dotmac.notification.notification.NotificationService.Welcome;
import io.dotmac.notification.notification.mapping.NotificationMapper;
import io.dotmac.notification.paymentfailed.DunningStage;
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
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Notifications of the caller's tenant: sending the payment request, the welcome email, the
 * journey-failed email, a renewal's receipt and the dunning emails of an unpaid invoice, and reading
 * delivery records. Each email is sent at most once per what it is about, however often the engine
 * asks. What an email says about money (to whom, how much, where to pay, whether it was refunded) is
 * read from the service that owns it, before any transaction, never taken from the caller: the
 * engine's context can be wrong, and an email is what a customer acts on.
 */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
@SecurityRequirement(name = "bearer")
public class NotificationResource {

    private final NotificationService notifications;
    private final NotificationSender sender;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;
    private final ActiveOrders activeOrders;
    private final QuotePaymentEmails quotePayments;
    private final InvoiceEmails invoices;
    private final SuspendedPlatforms platforms;
    private final ShopCheckouts shopCheckouts;

    NotificationResource(NotificationService notifications, NotificationSender sender, IdempotencyService idempotency,
            CurrentTenant tenant, ActiveOrders activeOrders, QuotePaymentEmails quotePayments, InvoiceEmails invoices,
            SuspendedPlatforms platforms, ShopCheckouts shopCheckouts) {
        this.shopCheckouts = shopCheckouts;
        this.invoices = invoices;
        this.platforms = platforms;
        this.notifications = notifications;
        this.sender = sender;
        this.idempotency = idempotency;
        this.tenant = tenant;
        this.activeOrders = activeOrders;
        this.quotePayments = quotePayments;
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
            + "pending with a checkout page still open, or 200 with the request sent before if there is one (a repeat "
            + "after the customer paid); 503 (retryable) if billing-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    @APIResponse(responseCode = "200", description = "The page is no longer open, and its link was sent before: that notification")
    @Idempotent(checksFirst = true)
    public Uni<Response> sendPaymentRequest(@Valid @NotNull PaymentRequestEmailRequest body) {
        String tenantId = tenant.id();
        // A repeat of a request that was done (a journey resumed after a crash, once the customer had
        // paid) answers as done: the link went out, which is all it asked.
        return guarded(quotePayments.requireOpenCheckout(body.quoteId()), notifications::recordPaymentRequest)
                .onFailure(NotificationResource::isConflict).recoverWithUni(refused -> notifications
                        .latestPaymentRequest(tenantId, body.quoteId().strip())
                        .onItem().ifNull().failWith(refused)
                        .map(sent -> Response.ok(NotificationMapper.toView(sent)).build()));
    }

    private static boolean isConflict(Throwable e) {
        return e instanceof Conflict;
    }

    /**
     * Asks billing-service for the quote's payment before any transaction, as sendPaymentRequest
     * does; a refusal stores nothing. The customer is told only once billing holds none of their
     * money (refunded, or never received), and what the email says about it is billing's answer: a
     * caller cannot have anyone told their money is back before it is.
     */
    @POST
    @Path("/journey-failed")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Tell the customer of a quote whose journey failed for good that their platform could not be set "
            + "up, and what became of their payment: refunded in full, or not received; recipient, amount, currency and "
            + "outcome are billing-service's payment of quote_id; 202 with the notification (sent, or queued for "
            + "retries), one per quote however often asked; 409 unless that payment is refunded or failed (a succeeded "
            + "one is refunded first, a pending one not decided yet), 503 (retryable) if billing-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    @Idempotent(checksFirst = true)
    public Uni<Response> sendJourneyFailed(@Valid @NotNull JourneyFailedEmailRequest body) {
        return guarded(quotePayments.requireUndone(body.quoteId()), notifications::recordJourneyFailed);
    }

    /**
     * Asks billing-service for the invoice and its quote's payment before any transaction, as
     * sendPaymentRequest does; a refusal stores nothing. Recipient, amount, period and invoice page
     * are billing's: a caller cannot have anyone told they paid what they did not.
     */
    @POST
    @Path("/receipt")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Send the receipt of a paid invoice of a subscription (a renewal): to the customer of the quote's "
            + "payment, of the amount paid, for the period the invoice covers, with its invoice page, all as billing-service "
            + "reports invoice_id; 202 with the notification (sent, or queued for retries), one per invoice however often "
            + "asked; 409 unless billing-service reports the invoice paid and its quote's payment has a customer email; 503 "
            + "(retryable) if billing-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    @Idempotent(checksFirst = true)
    public Uni<Response> sendReceipt(@Valid @NotNull ReceiptEmailRequest body) {
        return guarded(invoices.requirePaid(body.invoiceId().toString()),
                (tenantId, paid) -> notifications.recordReceipt(tenantId, paid.invoice(), paid.payment(), paid.cancelUrl()));
    }

    /**
     * Asks billing-service for the invoice and its quote's payment before any transaction, as
     * sendReceipt does; a refusal stores nothing. Only the stage is the caller's: recipient, amount
     * due, period and the page to pay on are billing's, so nobody is asked to pay what is paid.
     */
    @POST
    @Path("/payment-failed")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Send a dunning email of an unpaid invoice of a subscription, by stage: failed (the payment did "
            + "not go through), reminder (still unpaid) or suspended (access blocked until it is paid); to the customer "
            + "of the quote's payment, of the amount due, for the period the invoice covers, with a link to pay on its "
            + "invoice page, all as billing-service reports invoice_id; 202 with the notification (sent, or queued for "
            + "retries), one per invoice and stage however often asked; 409 unless billing-service reports the invoice "
            + "open and its quote's payment has a customer email, and for suspended unless sales-service reports the quote's "
            + "platform suspended; 503 (retryable) if billing-service or sales-service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    @Idempotent(checksFirst = true)
    public Uni<Response> sendPaymentFailed(@Valid @NotNull PaymentFailedEmailRequest body) {
        String invoiceId = body.invoiceId().toString();
        return guarded(invoices.requireUnpaid(invoiceId).call(unpaid -> body.stage() == DunningStage.SUSPENDED
                        ? platforms.requireSuspended(invoiceId, unpaid.invoice().quoteId()) : Uni.createFrom().voidItem()),
                (tenantId, unpaid) -> notifications.recordPaymentFailed(tenantId, unpaid.invoice(), unpaid.payment(), body.stage()));
    }

    /**
     * Asks sales-service for the cart's checkout and billing-service for its quote's payment before
     * any transaction, as sendPaymentRequest does; a refusal stores nothing. Only the cart is the
     * caller's: whom to remind, of what, and where to pay are the two services' answers.
     */
    @POST
    @Path("/shop-reminder")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Remind a shop visitor of the checkout of cart_id they have not paid: to the customer of its quote's "
            + "payment, of its amount, with the Stripe Checkout page to pay on and a link back to the checkout's order page "
            + "at the shop; 202 with the notification (sent, or queued for retries), one per checkout however often asked; "
            + "409 unless sales-service reports the cart's checkout awaiting payment, with an order page, and billing-service "
            + "its quote's payment pending on a checkout page open now; 503 (retryable) if either service cannot be asked")
    @APIResponse(responseCode = "202", description = "Recorded; status says whether the SMTP server has accepted it yet")
    @Idempotent(checksFirst = true)
    public Uni<Response> sendShopReminder(@Valid @NotNull ShopReminderEmailRequest body) {
        return guarded(shopCheckouts.requireUnpaid(body.cartId().toString()), notifications::recordShopReminder);
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
    @Idempotent(checksFirst = true)
    public Uni<Response> sendWelcome(@Valid @NotNull WelcomeEmailRequest body) {
        String tenantId = tenant.id();
        Welcome welcome = new Welcome(body.customerEmail(), body.tenantSubdomain(), body.customerName());
        return activeOrders.requireActive(welcome.tenantSubdomain(), welcome.customerEmail())
                .chain(() -> recordAndAttempt(tenantId, () -> notifications.recordWelcome(tenantId, welcome)));
    }

    // An email about money: the guard's answer (what billing-service has, asked before any
    // transaction; a refusal stores nothing) is what the email is recorded from.
    private <T> Uni<Response> guarded(Uni<T> guard, BiFunction<String, T, Uni<Notification>> record) {
        String tenantId = tenant.id();
        return guard.chain(answer -> recordAndAttempt(tenantId, () -> record.apply(tenantId, answer)));
    }

    // Records the notification under the Idempotency-Key and commits it, then makes the first
    // attempt outside that transaction and answers with the notification as it stands then. A
    // replay sends nothing new: the attempt only happens if the notification is still due.
    private Uni<Response> recordAndAttempt(String tenantId, Supplier<Uni<Notification>> record) {
        return idempotency.run(() -> record.get().map(n -> Response.accepted(NotificationMapper.toView(n)).build()))
                .chain(recorded -> {
                    UUID id = idOf(recorded.getEntity());
                    boolean replayed = recorded.getHeaderString(IdempotencyService.REPLAYED_HEADER) != null;
                    return sender.attempt(id)
                            .chain(() -> notifications.get(tenantId, id))
                            .map(n -> {
                                Response.ResponseBuilder response = Response.accepted(NotificationMapper.toView(n));
                                return replayed ? response.header(IdempotencyService.REPLAYED_HEADER, "true").build() : response.build();
                            });
                });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One notification with its delivery record")
    public Uni<NotificationView> get(@PathParam("id") UUID id) {
        return notifications.get(tenant.id(), id)
                .onItem().ifNull().failWith(() -> new NotFound("No notification " + id))
                .map(NotificationMapper::toView);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The tenant's notifications, to one recipient if ?recipient= is given, newest first, paginated")
    public Uni<Page<NotificationView>> list(@QueryParam("recipient") String recipient, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        String to = recipient == null || recipient.isBlank() ? null : recipient.strip();
        return notifications.list(tenant.id(), to, request).map(p -> p.map(NotificationMapper::toView));
    }

    // The entity of a response just made, or the JSON of a replayed one.
    private static UUID idOf(Object entity) {
        if (entity instanceof NotificationView view) {
            return view.id();
        }
        return UUID.fromString(((JsonNode) entity).get("id").asText());
    }
}
