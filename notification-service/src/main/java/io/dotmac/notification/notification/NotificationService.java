package io.dotmac.notification.notification;

import io.dotmac.common.payment.QuotePayment;
import io.dotmac.common.payment.SubscriptionInvoice;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.notification.client.ShopCheckouts;
import io.dotmac.notification.config.NotificationConfig;
import io.dotmac.notification.journeyfailed.JourneyFailedEmail;
import io.dotmac.notification.paymentfailed.DunningStage;
import io.dotmac.notification.paymentfailed.PaymentFailedEmail;
import io.dotmac.notification.paymentrequest.PaymentRequestEmail;
import io.dotmac.notification.receipt.ReceiptEmail;
import io.dotmac.notification.shopreminder.ShopReminderEmail;
import io.dotmac.notification.welcome.WelcomeEmail;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records notifications and the outcome of each send attempt, each change in a short transaction
 * of its own: nothing here talks to the SMTP server (see {@link io.dotmac.notification.delivery.NotificationSender}).
 */
@ApplicationScoped
public class NotificationService {

    private final NotificationRepository notifications;
    private final String tenantBaseDomain;
    private final String messageIdDomain;

    NotificationService(NotificationRepository notifications, NotificationConfig config,
            @ConfigProperty(name = "controlplane.tenant-base-domain") String tenantBaseDomain) {
        this.notifications = notifications;
        this.tenantBaseDomain = tenantBaseDomain;
        this.messageIdDomain = config.messageIdDomain();
    }

    /** What a welcome email needs: where to, to whom, and which customer platform it announces. */
    public record Welcome(String customerEmail, String tenantSubdomain, String customerName) {
    }

    /**
     * The queued welcome email for this customer platform, recorded now, or the one recorded
     * before for the same tenant, recipient and subdomain: a repeated request never makes a
     * second email.
     */
    @WithTransaction
    public Uni<Notification> recordWelcome(String tenantId, Welcome welcome) {
        String host = welcome.tenantSubdomain() + "." + tenantBaseDomain;
        Notification n = queued(tenantId, Notification.WELCOME_EMAIL, welcome.customerEmail(), WelcomeEmail.subject(host));
        n.customerName = welcome.customerName() == null || welcome.customerName().isBlank() ? null : welcome.customerName().strip();
        n.tenantSubdomain = welcome.tenantSubdomain();
        n.tenantUrl = "https://" + host;
        return recordOnce(n, () -> notifications.findWelcome(tenantId, welcome.customerEmail(), welcome.tenantSubdomain()));
    }

    /**
     * The queued email asking the payment's customer to pay on its checkout page, recorded now, or
     * the one recorded before for the same tenant, quote and page: a repeated request never makes
     * a second email, a re-opened checkout (a new page) does. All of it is billing-service's payment.
     */
    @WithTransaction
    public Uni<Notification> recordPaymentRequest(String tenantId, QuotePayment payment) {
        Notification n = aboutPayment(tenantId, Notification.PAYMENT_REQUEST, payment, PaymentRequestEmail.SUBJECT);
        n.paymentUrl = payment.checkoutUrl();
        n.paymentExpiresAt = payment.checkoutExpiresAt();
        return recordOnce(n, () -> notifications.findPaymentRequest(tenantId, payment.quoteId(), payment.checkoutUrl()));
    }

    /**
     * The queued email telling the payment's customer that their journey failed for good and what
     * became of their money (refunded, or never received), recorded now, or the one recorded before
     * for the same tenant and quote: a repeated request never makes a second email. All of it is
     * billing-service's payment, as it stands now.
     */
    @WithTransaction
    public Uni<Notification> recordJourneyFailed(String tenantId, QuotePayment payment) {
        Notification n = aboutPayment(tenantId, Notification.JOURNEY_FAILED, payment,
                JourneyFailedEmail.subject(payment.status()));
        n.paymentStatus = payment.status();
        n.failureMessage = payment.failureMessage() == null || payment.failureMessage().isBlank()
                ? null : payment.failureMessage().strip();
        return recordOnce(n, () -> notifications.findJourneyFailed(tenantId, payment.quoteId()));
    }

    /**
     * The queued receipt of a paid invoice of the quote's subscription, to the customer of the
     * quote's payment, recorded now, or the one recorded before for the same tenant and invoice: a
     * repeated request never makes a second email. All of it is billing-service's, the link to cancel
     * (may be null) included.
     */
    @WithTransaction
    public Uni<Notification> recordReceipt(String tenantId, SubscriptionInvoice invoice, QuotePayment payment, String cancelUrl) {
        Notification n = aboutInvoice(tenantId, Notification.RECEIPT, invoice, invoice.amountPaid(), payment,
                ReceiptEmail.subject(invoice.periodEnd()));
        n.cancelUrl = cancelUrl;
        return recordOnce(n, () -> notifications.findReceipt(tenantId, invoice.id()));
    }

    /**
     * The queued dunning email of an unpaid invoice of the quote's subscription at this stage, to
     * the customer of the quote's payment, of the amount due, recorded now, or the one recorded
     * before for the same tenant, invoice and stage: a repeated request never makes a second email,
     * the next stage does. All of it but the stage is billing-service's.
     */
    @WithTransaction
    public Uni<Notification> recordPaymentFailed(String tenantId, SubscriptionInvoice invoice, QuotePayment payment,
            DunningStage stage) {
        Notification n = aboutInvoice(tenantId, Notification.PAYMENT_FAILED, invoice, invoice.amountDue(), payment,
                PaymentFailedEmail.subject(stage, invoice.amountDue(), invoice.currency()));
        n.dunningStage = stage.value();
        return recordOnce(n, () -> notifications.findPaymentFailed(tenantId, invoice.id(), stage.value()));
    }

    /**
     * The queued reminder of a shop checkout left unpaid, to the customer of the quote's payment,
     * recorded now, or the one recorded before for the same tenant and quote: a checkout is reminded
     * of once, however often asked. The payment, its page and amount are billing-service's; the
     * order page and the customer's name sales-service's.
     */
    @WithTransaction
    public Uni<Notification> recordShopReminder(String tenantId, ShopCheckouts.Unpaid unpaid) {
        QuotePayment payment = unpaid.payment();
        Notification n = aboutPayment(tenantId, Notification.SHOP_REMINDER, payment,
                ShopReminderEmail.subject(payment.amount(), payment.currency()));
        n.customerName = unpaid.customerName() == null || unpaid.customerName().isBlank() ? null : unpaid.customerName().strip();
        n.paymentUrl = payment.checkoutUrl();
        n.paymentExpiresAt = payment.checkoutExpiresAt();
        n.orderUrl = unpaid.orderUrl();
        return recordOnce(n, () -> notifications.findShopReminder(tenantId, payment.quoteId()));
    }

    // An email about the quote's payment, to its customer, of its amount and currency.
    private Notification aboutPayment(String tenantId, String kind, QuotePayment payment, String subject) {
        Notification n = queued(tenantId, kind, payment.customerEmail(), subject);
        n.quoteId = payment.quoteId();
        n.amount = payment.amount();
        n.currency = payment.currency();
        return n;
    }

    // An email about the invoice of the quote's subscription, to the customer of the quote's payment,
    // of the amount paid or due in the invoice's currency, for its period, with its page.
    private Notification aboutInvoice(String tenantId, String kind, SubscriptionInvoice invoice, BigDecimal amount,
            QuotePayment payment, String subject) {
        Notification n = queued(tenantId, kind, payment.customerEmail(), subject);
        n.quoteId = payment.quoteId();
        n.invoiceId = invoice.id();
        n.invoiceUrl = invoice.hostedInvoiceUrl();
        n.amount = amount;
        n.currency = invoice.currency();
        n.periodStart = invoice.periodStart();
        n.periodEnd = invoice.periodEnd();
        return n;
    }

    // Inserts the notification unless the same email exists, then emits the one recorded. One that
    // failed for good is queued again, with a fresh count of attempts.
    private Uni<Notification> recordOnce(Notification fresh, Supplier<Uni<Notification>> recorded) {
        return notifications.insertIfAbsent(fresh)
                .chain(() -> recorded.get())
                .invoke(existing -> {
                    if (existing.status == NotificationStatus.FAILED) {
                        existing.status = NotificationStatus.QUEUED;
                        existing.attempts = 0;
                        existing.nextAttemptAt = OffsetDateTime.now();
                        existing.updatedAt = OffsetDateTime.now();
                    }
                });
    }

    private Notification queued(String tenantId, String kind, String recipient, String subject) {
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.tenantId = tenantId;
        n.kind = kind;
        n.recipient = recipient;
        n.subject = subject;
        // Chosen now, so that every attempt sends the same Message-ID and the record has it before
        // the server does.
        n.messageId = "<" + n.id + "@" + messageIdDomain + ">";
        return n;
    }

    /** The newest payment request sent for the quote in the tenant, or null. */
    @WithSession
    public Uni<Notification> latestPaymentRequest(String tenantId, String quoteId) {
        return notifications.latestPaymentRequest(tenantId, quoteId);
    }

    /** The tenant's notification, or null. */
    @WithSession
    public Uni<Notification> get(String tenantId, UUID id) {
        return notifications.findForTenant(tenantId, id);
    }

    @WithSession
    public Uni<Page<Notification>> list(String tenantId, String recipient, PageRequest page) {
        return notifications.list(tenantId, recipient, page);
    }

    /**
     * Takes the notification for one send attempt (counted now) and emits it, or null when it is
     * not due or another sender holds it. The transaction ends before anything is sent.
     */
    @WithTransaction
    public Uni<Notification> claim(UUID id, Duration lease) {
        return notifications.claim(id, lease)
                .chain(claimed -> claimed ? notifications.findById(id) : Uni.createFrom().nullItem());
    }

    /** The SMTP server accepted it: never to be sent again. */
    @WithTransaction
    public Uni<Boolean> markSent(UUID id) {
        return notifications.markSent(id);
    }

    /** The attempt failed: try again after {@code delay}, or, when {@code delay} is null, give up. */
    @WithTransaction
    public Uni<Boolean> recordFailure(UUID id, String error, Duration delay) {
        return delay == null ? notifications.markFailed(id, error) : notifications.retryLater(id, error, delay);
    }

    /**
     * Queued notifications due for an attempt that no sender holds, across tenants (the retrier's
     * work). One never attempted is left alone for {@code firstAttemptGrace} after it was queued:
     * the request that queued it is making that attempt, and a background one in between would
     * only leave that request answering "queued" for an email being sent.
     */
    @WithSession
    public Uni<java.util.List<UUID>> due(int limit, Duration firstAttemptGrace) {
        return notifications.findDue(limit, OffsetDateTime.now().minus(firstAttemptGrace));
    }
}
