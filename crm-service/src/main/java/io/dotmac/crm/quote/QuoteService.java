package io.dotmac.crm.quote;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.crm.catalog.ProductRepository;
import io.dotmac.crm.client.SlugRegistry;
import io.dotmac.crm.config.CrmConfig;
import io.dotmac.crm.config.Timestamps;
import io.dotmac.crm.lead.Lead;
import io.dotmac.crm.lead.LeadProduct;
import io.dotmac.crm.lead.LeadRepository;
import io.dotmac.crm.lead.LeadStatus;
import io.dotmac.crm.lead.Qualification;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Quotes: generated from a qualified lead's products at catalog prices, then sent, accepted or
 * rejected. Accepting converts the lead and writes {@code crm.quote.accepted} to the outbox in the
 * same transaction, so the event exists if and only if the acceptance committed.
 */
@ApplicationScoped
public class QuoteService {

    private static final Logger LOG = Logger.getLogger(QuoteService.class);

    private final QuoteRepository quotes;
    private final LeadRepository leads;
    private final ProductRepository products;
    private final OutboxEventRepository outbox;
    private final CrmConfig config;
    private final Clock clock;
    private final Funnel funnel;
    private final SlugRegistry slugs;

    QuoteService(QuoteRepository quotes, LeadRepository leads, ProductRepository products, OutboxEventRepository outbox,
                 CrmConfig config, Clock clock, Funnel funnel, SlugRegistry slugs) {
        this.quotes = quotes;
        this.leads = leads;
        this.products = products;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
        this.funnel = funnel;
        this.slugs = slugs;
    }

    /** Today's date (UTC), against which validity is judged. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Prices the qualified lead's products into a new draft quote; 409 naming the status if it is not qualified. */
    @WithTransaction
    public Uni<Quote> generate(String tenantId, UUID leadId) {
        // Locked, so that the lead cannot be converted by an acceptance while it is quoted.
        return leads.lockOf(tenantId, leadId).onItem().ifNull().failWith(() -> leadNotFound(leadId)).chain(lead -> {
            if (lead.status != LeadStatus.QUALIFIED) {
                return Uni.createFrom().failure(new Conflict("Lead " + leadId + " is " + lead.status.value()
                        + "; only a qualified lead can be quoted"));
            }
            return priceOf(lead)
                    .chain(priced -> quotes.nextQuoteNumber().chain(number -> quotes.persist(newQuote(lead, priced, number))))
                    // The slug stays the lead's for as long as its quote may be accepted.
                    .call(quote -> holdSlug(quote, quote.validUntil.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)))
                    .invoke(() -> funnel.reached(Funnel.Stage.QUOTE));
        }).invoke(quote -> LOG.infof("quote %s (%s) generated for lead %s of tenant %s: %s %s", quote.quoteNumber, quote.id,
                leadId, tenantId, quote.totalAmount.toPlainString(), quote.currency));
    }

    /** The lead's products at today's catalog prices, for the billing cycle it chose (or each its own). */
    private Uni<PricedQuote> priceOf(Lead lead) {
        var codes = lead.products.stream().map(LeadProduct::productCode).distinct().toList();
        return products.pricesOf(codes).map(catalog -> Pricing.price(lead.products, catalog, lead.billingCycle));
    }

    /**
     * The quote a checkout of the lead (the shop's, from a cart) goes on with: once the lead is
     * converted, its accepted quote; else its newest open quote, if today's catalog still prices the
     * lead's products as it does; else a new draft ({@link #generate}, 409 unless the lead is
     * qualified). The lead is locked first, so two checkouts of one cart take turns and the second
     * goes on with the first one's quote rather than making another.
     */
    @WithTransaction
    public Uni<Quote> currentOf(String tenantId, UUID leadId) {
        return leads.lockOf(tenantId, leadId).onItem().ifNull().failWith(() -> leadNotFound(leadId)).chain(lead -> {
            if (lead.status == LeadStatus.CONVERTED) {
                return quotes.acceptedOf(tenantId, leadId).onItem().ifNull().failWith(() -> new Conflict("Lead " + leadId
                        + " is converted, but has no accepted quote"));
            }
            return quotes.newestOpenOf(tenantId, leadId, today()).chain(open -> open == null || lead.status != LeadStatus.QUALIFIED
                    ? generate(tenantId, leadId)
                    : priceOf(lead).chain(priced -> pricedAs(open, priced) ? Uni.createFrom().item(open) : generate(tenantId, leadId)));
        });
    }

    // Whether the quote is exactly these prices: the same lines in the same order, currency, cycle and total.
    private static boolean pricedAs(Quote quote, PricedQuote priced) {
        if (!quote.currency.equals(priced.currency()) || !quote.billingCycle.equals(priced.billingCycle())
                || quote.totalAmount.compareTo(priced.total()) != 0 || quote.items.size() != priced.items().size()) {
            return false;
        }
        for (int i = 0; i < quote.items.size(); i++) {
            QuoteItem have = quote.items.get(i);
            QuoteItem want = priced.items().get(i);
            if (!have.productCode().equals(want.productCode()) || have.quantity() != want.quantity()
                    || have.unitPrice().compareTo(want.unitPrice()) != 0 || have.lineTotal().compareTo(want.lineTotal()) != 0) {
                return false;
            }
        }
        return true;
    }

    private Quote newQuote(Lead lead, PricedQuote priced, String number) {
        Quote quote = draft(lead.tenantId, lead.id, priced, number);
        quote.kind = Quote.NEW;
        quote.cartId = lead.cartId();
        quote.customerEmail = lead.customerEmail;
        quote.customerName = lead.customerName;
        quote.companyName = lead.companyName;
        quote.organizationSlug = lead.organizationSlug;
        quote.region = lead.region;
        return quote;
    }

    /** A draft of these prices, valid for the configured days; its kind and customer are the caller's to set. */
    private Quote draft(String tenantId, UUID leadId, PricedQuote priced, String number) {
        OffsetDateTime now = Timestamps.now(clock);
        Quote quote = new Quote();
        quote.id = UUID.randomUUID();
        quote.tenantId = tenantId;
        quote.leadId = leadId;
        quote.quoteNumber = number;
        quote.status = QuoteStatus.DRAFT;
        quote.currency = priced.currency();
        quote.billingCycle = priced.billingCycle();
        quote.totalAmount = priced.total();
        quote.items = priced.items();
        quote.validUntil = LocalDate.now(clock).plusDays(config.quote().validityDays());
        quote.createdAt = now;
        quote.updatedAt = now;
        return quote;
    }

    /**
     * A draft quote of kind change: the subscription that {@code quoteId} started (or, given a change,
     * the one that change changes) with {@code seats} as its new whole, priced from today's
     * catalog, for its customer. 409 unless that quote is accepted; 422 for products a lead could not
     * ask for (unknown, listed twice, out of range) or billed in another currency or cycle than the
     * subscription. Whether the subscription is still there is billing's to say when it is accepted.
     */
    @WithTransaction
    public Uni<Quote> proposeChange(String tenantId, UUID quoteId, List<LeadProduct> seats) {
        return quotes.findOf(tenantId, quoteId).onItem().ifNull().failWith(() -> notFound(quoteId))
                .chain(named -> named.change() ? quotes.findOf(tenantId, named.changesQuoteId) : Uni.createFrom().item(named))
                .chain(subscribed -> {
                    if (subscribed.status != QuoteStatus.ACCEPTED) {
                        return Uni.createFrom().failure(new Conflict("Quote " + subscribed.quoteNumber + " is "
                                + subscribed.statusOn(today()).value() + "; only the seats of an accepted quote's subscription can be changed"));
                    }
                    var codes = seats.stream().map(LeadProduct::productCode).distinct().toList();
                    return products.pricesOf(codes).chain(catalog -> {
                        List<String> reasons = Qualification.productReasons(seats, catalog);
                        if (!reasons.isEmpty()) {
                            return Uni.createFrom().failure(new Unprocessable("The seat change cannot be quoted: " + String.join("; ", reasons)));
                        }
                        PricedQuote priced = Pricing.price(seats, catalog);
                        if (!priced.currency().equals(subscribed.currency) || !priced.billingCycle().equals(subscribed.billingCycle)) {
                            return Uni.createFrom().failure(new Unprocessable("The subscription of quote " + subscribed.quoteNumber
                                    + " is billed " + subscribed.currency + " " + subscribed.billingCycle + "; the products asked for are billed "
                                    + priced.currency() + " " + priced.billingCycle()));
                        }
                        return quotes.nextQuoteNumber().chain(number -> quotes.persist(changeQuote(subscribed, priced, number)));
                    });
                }).invoke(quote -> LOG.infof("quote %s (%s) of tenant %s changes the subscription of quote %s: %s %s", quote.quoteNumber,
                        quote.id, tenantId, quote.changesQuoteId, quote.totalAmount.toPlainString(), quote.currency));
    }

    private Quote changeQuote(Quote subscribed, PricedQuote priced, String number) {
        Quote quote = draft(subscribed.tenantId, subscribed.leadId, priced, number);
        quote.kind = Quote.CHANGE;
        quote.changesQuoteId = subscribed.id;
        quote.customerEmail = subscribed.customerEmail;
        quote.customerName = subscribed.customerName;
        quote.companyName = subscribed.companyName;
        quote.organizationSlug = subscribed.organizationSlug;
        quote.region = subscribed.region;
        return quote;
    }

    @WithSession
    public Uni<Quote> get(String tenantId, UUID id) {
        return quotes.findOf(tenantId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** The lead's quotes, newest first; 404 if the tenant has no such lead. */
    @WithSession
    public Uni<Page<Quote>> listOfLead(String tenantId, UUID leadId, PageRequest page) {
        return leads.findOf(tenantId, leadId).onItem().ifNull().failWith(() -> leadNotFound(leadId))
                .chain(lead -> quotes.listOfLead(tenantId, leadId, page));
    }

    /**
     * Stores the expiry of an open quote past its validity date, in a transaction of its own, so
     * that it stays recorded when the transition asked for next is refused because of it.
     */
    @WithTransaction
    public Uni<Void> expireIfDue(String tenantId, UUID id) {
        return quotes.lockOf(tenantId, id).invoke(quote -> {
            if (quote != null && quote.expireIfDue(today(), Timestamps.now(clock))) {
                LOG.infof("quote %s of tenant %s expired (valid until %s)", quote.quoteNumber, tenantId, quote.validUntil);
            }
        }).replaceWithVoid();
    }

    @WithTransaction
    public Uni<Quote> send(String tenantId, UUID id) {
        return locked(tenantId, id).invoke(quote -> quote.send(today(), Timestamps.now(clock)));
    }

    /**
     * Rejects the quote and frees its organization slug for others, unless another quote of the lead
     * is still open (best effort: else the reservation ends when it expires).
     */
    @WithTransaction
    public Uni<Quote> reject(String tenantId, UUID id, String reason) {
        return locked(tenantId, id).invoke(quote -> quote.reject(reason, today(), Timestamps.now(clock)))
                // A change's customer keeps their slug: it is their platform's.
                .call(quote -> quote.change() ? Uni.createFrom().voidItem() : quotes.otherOpenQuote(tenantId, quote.leadId, quote.id).chain(open -> open
                        ? Uni.createFrom().voidItem()
                        : slugs.release(quote.organizationSlug, quote.leadId)));
    }

    /**
     * An accepted quote whose payment was never made lapses: sales-service frees the organization
     * name its lead held for good (it checks with billing that the payment failed and that no order
     * of the quote exists, the 409 otherwise), then the quote is expired with why and its lead no
     * customer. Done again, it answers the lapsed quote; a 409 for any other quote.
     */
    @WithTransaction
    public Uni<Quote> lapse(String tenantId, UUID id, String reason) {
        return locked(tenantId, id).chain(quote -> {
            if (quote.status == QuoteStatus.EXPIRED && quote.acceptedAt != null) {
                return Uni.createFrom().item(quote);
            }
            if (quote.status != QuoteStatus.ACCEPTED || quote.change()) {
                throw new Conflict("Quote " + quote.quoteNumber + " is " + (quote.change() ? "a seat change" : quote.status.value())
                        + "; only an accepted quote of a new customer lapses unpaid");
            }
            OffsetDateTime now = Timestamps.now(clock);
            return slugs.releaseUnpaid(quote.organizationSlug, quote.leadId, quote.id)
                    .chain(() -> leads.lockOf(tenantId, quote.leadId))
                    .invoke(lead -> {
                        quote.lapse(reason, now);
                        if (lead != null && lead.status == LeadStatus.CONVERTED) {
                            lead.lapse("quote " + quote.quoteNumber + " was never paid: " + reason, now);
                        }
                        LOG.infof("quote %s (%s) of tenant %s lapsed unpaid: %s", quote.quoteNumber, quote.id, tenantId, reason);
                    })
                    .replaceWith(quote);
        });
    }

    /**
     * Accepts a sent, unexpired quote: records who and when, converts the lead, and writes the
     * event to the outbox. The quote row is locked first, so of two concurrent acceptances the second
     * finds it accepted (409); the lead is locked next, so a second quote of a converted lead is 409 too.
     */
    @WithTransaction
    public Uni<Quote> accept(String tenantId, UUID id, String acceptedBy) {
        return locked(tenantId, id).chain(quote -> acceptLocked(tenantId, quote, acceptedBy));
    }

    /** A quote accepted by this call ({@code now}), or found accepted already. */
    public record Acceptance(Quote quote, boolean now) {
    }

    /**
     * Accepts the quote a checkout goes on with ({@link #currentOf}), on the customer's word given at
     * the checkout: a draft is sent and accepted at once, a sent one accepted, both by {@link #accept}'s
     * rules, path and event; one found accepted already (a concurrent checkout of the same cart) is
     * returned as it is, with {@code now} false.
     */
    @WithTransaction
    public Uni<Acceptance> acceptAtCheckout(String tenantId, UUID id, String acceptedBy) {
        return locked(tenantId, id).chain(quote -> {
            if (quote.status == QuoteStatus.ACCEPTED) {
                return Uni.createFrom().item(new Acceptance(quote, false));
            }
            if (quote.statusOn(today()) == QuoteStatus.DRAFT) {
                quote.send(today(), Timestamps.now(clock));
            }
            return acceptLocked(tenantId, quote, acceptedBy).map(accepted -> new Acceptance(accepted, true));
        });
    }

    // The acceptance of a quote locked by the caller's transaction: the quote's state rules, the lead
    // converted, the slug held for good and the event in the outbox, or a failure and nothing of it.
    private Uni<Quote> acceptLocked(String tenantId, Quote quote, String acceptedBy) {
        OffsetDateTime now = Timestamps.now(clock);
        quote.accept(acceptedBy, today(), now);
        Uni<Quote> accepted;
        if (quote.change()) {
            // The lead is a customer already, their slug theirs: billing and licensing apply the change.
            accepted = outbox.persist(QuoteAcceptedEvent.of(quote)).replaceWith(quote);
        } else {
            accepted = leads.lockOf(tenantId, quote.leadId).chain(lead -> {
                if (lead.status != LeadStatus.QUALIFIED) {
                    return Uni.createFrom().failure(new Conflict("Lead " + lead.id + " is " + lead.status.value()
                            + "; only a quote of a qualified lead can be accepted"));
                }
                lead.convert(now);
                // The customer's slug is held for good before the acceptance can commit.
                return holdSlug(quote, null)
                        .chain(() -> outbox.persist(QuoteAcceptedEvent.of(quote)))
                        .invoke(() -> funnel.reached(Funnel.Stage.ACCEPTED)).replaceWith(quote);
            });
        }
        return accepted.invoke(() -> LOG.infof("quote %s (%s) of tenant %s accepted by %s", quote.quoteNumber, quote.id,
                tenantId, quote.acceptedBy));
    }

    // A slug taken meanwhile (the lead's reservation had expired) is a 409: nothing is written.
    private Uni<Void> holdSlug(Quote quote, OffsetDateTime until) {
        return slugs.reserve(quote.organizationSlug, quote.leadId, until)
                .onFailure(SlugRegistry.SlugTakenException.class).transform(e -> SlugRegistry.takenProblem((SlugRegistry.SlugTakenException) e));
    }

    private Uni<Quote> locked(String tenantId, UUID id) {
        return quotes.lockOf(tenantId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    static DomainException notFound(UUID id) {
        return new NotFound("No quote with id '" + id + "'");
    }

    static DomainException leadNotFound(UUID id) {
        return new NotFound("No lead with id '" + id + "'");
    }
}
