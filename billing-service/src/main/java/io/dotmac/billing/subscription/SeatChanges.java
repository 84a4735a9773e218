package io.dotmac.billing.subscription;

import io.dotmac.billing.payment.Money;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.billing.stripe.StripeSeatChange;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unavailable;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.quote.CrmQuotes;
import io.dotmac.common.quote.Quote;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The seats of a subscription changed by an accepted quote of kind change: its total becomes the
 * subscription's price per period through Stripe, prorated for the rest of the period and applied
 * only once that is paid ({@link StripeGateway#changeSeats}). What is charged comes from the quote
 * as crm-service has it, never from the caller.
 *
 * <p>A change is claimed first, in a transaction of its own with the subscription's row locked: it
 * takes the subscription's next sequence number and is pending while Stripe is asked (no lock held
 * then, so that Stripe's webhooks are not kept waiting). While one change of a subscription is
 * pending, another is refused (409): Stripe must apply them in the order billing numbered them. A
 * change found pending again (a lost answer, a crash) asks Stripe again with the same
 * Idempotency-Key, which answers as the first time.
 */
@ApplicationScoped
public class SeatChanges {

    private static final Logger LOG = Logger.getLogger(SeatChanges.class);
    /** The statuses in which Stripe takes a seat change: a subscription past due pays its open invoice first. */
    private static final Set<String> CHANGEABLE = Set.of("active", "trialing");
    /** How long Stripe keeps an Idempotency-Key's answer (a day), less an hour's margin. */
    static final Duration KEY_LIFETIME = Duration.ofHours(23);

    private final CrmQuotes crm;
    private final SubscriptionRepository subscriptions;
    private final SubscriptionChangeRepository changes;
    private final SubscriptionInvoiceRepository invoices;
    private final StripeGateway stripe;

    SeatChanges(CrmQuotes crm, SubscriptionRepository subscriptions, SubscriptionChangeRepository changes,
                SubscriptionInvoiceRepository invoices, StripeGateway stripe) {
        this.crm = crm;
        this.subscriptions = subscriptions;
        this.changes = changes;
        this.invoices = invoices;
        this.stripe = stripe;
    }

    /**
     * Makes the change quote's seat change, once: the change as recorded. 422 unless the quote is a
     * change of a subscription of this tenant's, in its currency (Stripe's word); 409 unless the quote is accepted,
     * while the subscription has ended or is past due, or while another change of it awaits its
     * payment; 503 if crm-service or Stripe cannot be asked, or while another change of it is being
     * made at Stripe (retryable: nothing is made twice).
     */
    public Uni<SubscriptionChange> change(String tenantId, String quoteId) {
        return crm.quote(quoteId).chain(quote -> {
            String name = quote.name(quoteId);
            if (!quote.change()) {
                throw new Unprocessable("Quote " + name + " is no seat change (kind " + quote.kind() + "); it is paid with "
                        + "POST /api/v1/billing/payments");
            }
            if (!Quote.ACCEPTED.equals(quote.status())) {
                throw new Conflict("Quote " + name + " is " + quote.status() + ", not accepted: only an accepted seat change is made");
            }
            BigDecimal amount = Money.amount(quote.totalAmount());
            String currency = Money.currency(quote.currency());
            return claim(tenantId, quote.id(), quote.changesQuoteId(), amount, currency).chain(claimed -> {
                if (!SubscriptionChange.PENDING.equals(claimed.status)) {
                    return Uni.createFrom().item(claimed);
                }
                return askStripe(claimed);
            });
        });
    }

    /**
     * Asks Stripe again for a change left pending since before {@code before}, with its own
     * Idempotency-Key (Stripe answers as the first time) and its recorded figures (no caller, no
     * crm): true if it is settled now. Its row is touched first, so that replicas ask about it once
     * a round, and one that keeps failing waits its turn.
     */
    public Uni<Boolean> redrive(UUID id, OffsetDateTime before) {
        return touchStale(id, before).chain(change -> {
            if (change == null) {
                return Uni.createFrom().item(false);
            }
            if (change.createdAt.isBefore(now().minus(KEY_LIFETIME))) {
                // Stripe has forgotten its key: asked again, it would make the change a second time.
                LOG.errorf("seat change %s (quote %s) of subscription %s has been pending since %s, longer than Stripe keeps its "
                        + "Idempotency-Key: not asked again; see at Stripe whether it was made, and settle it by hand", change.id,
                        change.quoteId, change.stripeSubscriptionId, change.createdAt);
                return Uni.createFrom().item(false);
            }
            LOG.infof("seat change %s (quote %s) of subscription %s has been pending since %s: asking Stripe again", change.id,
                    change.quoteId, change.stripeSubscriptionId, before);
            return askStripe(change).map(recorded -> !SubscriptionChange.PENDING.equals(recorded.status));
        });
    }

    /**
     * Asks Stripe to make the pending change, with its own Idempotency-Key and recorded figures, and
     * records the answer. Refused for good (its parameters, an ended subscription), Stripe made no
     * change: nor does billing, so that a later one is not kept waiting on it. A key in use at Stripe
     * is a 503: the change is being made.
     */
    private Uni<SubscriptionChange> askStripe(SubscriptionChange change) {
        UUID id = change.id;
        return stripe.changeSeats(change.stripeSubscriptionId, Money.minorUnits(change.amount), change.currency, "seat_change:" + id)
                .onFailure(e -> e instanceof Unprocessable || e instanceof Conflict).call(() -> release(id))
                .chain(answer -> record(id, change.stripeSubscriptionId, answer));
    }

    @WithTransaction
    Uni<SubscriptionChange> touchStale(UUID id, OffsetDateTime before) {
        return changes.lock(id).map(change -> {
            if (change == null || !SubscriptionChange.PENDING.equals(change.status) || change.updatedAt.isAfter(before)) {
                return null; // settled, or asked about by another replica, meanwhile
            }
            change.updatedAt = now();
            return change;
        });
    }

    @WithTransaction
    Uni<SubscriptionChange> claim(String tenantId, String quoteId, String subscribedQuoteId, BigDecimal amount, String currency) {
        return subscriptions.lockOfQuote(tenantId, subscribedQuoteId).chain(subscription -> {
            if (subscription == null) {
                throw new Unprocessable("Quote " + subscribedQuoteId + ", whose seats quote " + quoteId
                        + " changes, has no subscription in this tenant");
            }
            return changes.findOf(tenantId, quoteId).chain(found -> {
                if (found != null) {
                    if (SubscriptionChange.PENDING.equals(found.status)) {
                        // Asked again by its journey: the reconciler leaves it alone a while more.
                        found.updatedAt = now();
                    }
                    return Uni.createFrom().item(found);
                }
                if (subscription.ended() || !CHANGEABLE.contains(subscription.status)) {
                    throw new Conflict("Subscription " + subscription.id + " is " + subscription.status
                            + (subscription.ended() ? ": its seats cannot change" : ": its open invoice is paid before its seats change"));
                }
                return changes.unsettledOf(subscription.id).chain(unsettled -> {
                    if (unsettled != null && SubscriptionChange.PENDING.equals(unsettled.status)) {
                        // A moment's wait: the engine retries a 503.
                        throw new Unavailable("Seat change " + unsettled.quoteId + " of subscription " + subscription.id
                                + " is being made at Stripe; retry in a few seconds");
                    }
                    if (unsettled != null) {
                        // Stripe holds one pending update at a time: this one would replace it, unseen by its journey.
                        throw new Conflict("Seat change " + unsettled.quoteId + " of subscription " + subscription.id
                                + " awaits the payment of invoice " + unsettled.stripeInvoiceId + "; this one is made once that is "
                                + "paid or expires");
                    }
                    return changes.nextSequence(subscription.id).chain(sequence -> {
                        OffsetDateTime now = now();
                        SubscriptionChange change = new SubscriptionChange();
                        change.id = UUID.randomUUID();
                        change.tenantId = tenantId;
                        change.quoteId = quoteId;
                        change.subscriptionId = subscription.id;
                        change.subscriptionQuoteId = subscription.quoteId;
                        change.stripeSubscriptionId = subscription.stripeSubscriptionId;
                        change.sequence = sequence;
                        change.status = SubscriptionChange.PENDING;
                        change.amount = amount;
                        change.currency = currency;
                        change.createdAt = now;
                        change.updatedAt = now;
                        return changes.persist(change);
                    });
                });
            });
        });
    }

    @WithTransaction
    Uni<Void> release(UUID id) {
        return changes.delete("id = ?1 and status = ?2", id, SubscriptionChange.PENDING).replaceWithVoid();
    }

    @WithTransaction
    Uni<SubscriptionChange> record(UUID id, String stripeSubscriptionId, StripeSeatChange answer) {
        // The subscription first, as its webhooks lock it: an invoice's report is then either seen here or settles this after.
        return subscriptions.lockByStripeId(stripeSubscriptionId).chain(() -> changes.lock(id)).chain(change -> {
            if (change == null) {
                throw new Conflict("Seat change " + id + " was released while Stripe answered; ask again");
            }
            if (!SubscriptionChange.PENDING.equals(change.status)) {
                return Uni.createFrom().item(change);
            }
            // Held on an invoice whose report came first: paid, Stripe has applied it; voided, it has dropped it.
            Uni<SubscriptionInvoice> reported = answer.applied() || answer.invoiceId() == null ? Uni.createFrom().nullItem()
                    : invoices.lockByStripeId(answer.invoiceId());
            return reported.map(invoice -> {
                change.status = answer.applied() || invoice != null && invoice.paid() ? SubscriptionChange.APPLIED
                        : invoice != null && SubscriptionInvoice.VOID.equals(invoice.status) ? SubscriptionChange.EXPIRED
                        : SubscriptionChange.AWAITING_PAYMENT;
                change.stripeInvoiceId = answer.invoiceId();
                change.proratedAmount = answer.prorated();
                change.creditedAmount = answer.credited();
                change.chargedAmount = answer.charged();
                change.updatedAt = now();
                LOG.infof("seat change %s (quote %s) of subscription %s: %s, %s %s a period, prorated %s (invoice %s)", change.id,
                        change.quoteId, change.subscriptionId, change.status, change.amount, change.currency, change.proratedAmount,
                        change.stripeInvoiceId);
                return change;
            });
        });
    }

    @WithSession
    public Uni<SubscriptionChange> get(String tenantId, String quoteId) {
        return changes.findOf(tenantId, quoteId).onItem().ifNull()
                .failWith(() -> new NotFound("No seat change for quote " + quoteId));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
