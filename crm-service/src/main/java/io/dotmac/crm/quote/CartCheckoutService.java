package io.dotmac.crm.quote;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.crm.catalog.ProductRepository;
import io.dotmac.crm.lead.Lead;
import io.dotmac.crm.lead.LeadProduct;
import io.dotmac.crm.lead.LeadRepository;
import io.dotmac.crm.lead.LeadService;
import io.dotmac.crm.lead.LeadStatus;
import io.dotmac.crm.lead.Qualification;
import io.dotmac.crm.quote.QuoteService.Acceptance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The shop's checkout in crm: a cart becomes a lead (source shop, the cart's id its source_ref) and
 * an accepted quote, by the same steps and rules as a lead taken in by hand: qualification (slug
 * reserved in sales-service), a quote priced from crm's own catalog, acceptance (slug held for good,
 * crm.quote.accepted in the outbox). Each step commits by itself and each finds what an earlier
 * call did, so a call after a crash resumes where the last one stopped, a call after success
 * answers with the same accepted quote, and two at once take turns on the cart's lead.
 *
 * <p>The cart's figures are checked against the quote, never used: a difference is a 409 and
 * nothing is accepted. The lead and its draft quote stay for the cart, so the cart stays the one
 * place its quote can come from: a later call with the right figures goes on with them (a new
 * draft when the catalog or the cart's lines changed meanwhile), and a lead accepts one quote
 * only (the quotes_one_accepted_per_lead index), so a cart has at most one accepted quote.
 *
 * <p>The cart is priced once before anything is made: a cart whose prices are not today's is a 409
 * before its lead reserves the organization's name, which the visitor's next cart (with the new
 * prices) may then take.
 */
@ApplicationScoped
public class CartCheckoutService {

    private static final Logger LOG = Logger.getLogger(CartCheckoutService.class);

    private final LeadService leads;
    private final LeadRepository leadRows;
    private final QuoteService quotes;
    private final ProductRepository products;

    CartCheckoutService(LeadService leads, LeadRepository leadRows, QuoteService quotes, ProductRepository products) {
        this.leads = leads;
        this.leadRows = leadRows;
        this.quotes = quotes;
        this.products = products;
    }

    /** The cart's accepted quote: accepted by this call ({@code now}), or found accepted by an earlier one. */
    public Uni<Acceptance> checkout(String tenantId, Cart cart) {
        return pricedAsToday(tenantId, cart)
                .chain(() -> leads.fromSource(tenantId, leadOf(cart)))
                .chain(lead -> qualified(tenantId, lead))
                .chain(lead -> quotes.currentOf(tenantId, lead.id))
                .chain(quote -> {
                    String difference = cart.firstDifferenceFrom(quote);
                    if (difference != null) {
                        LOG.warnf("cart %s of tenant %s does not match quote %s: %s", cart.id(), tenantId, quote.quoteNumber, difference);
                        return Uni.createFrom().failure(new Conflict(difference + (quote.status == QuoteStatus.ACCEPTED
                                ? "; cart " + cart.id() + " was checked out already as quote " + quote.quoteNumber
                                : "; nothing was accepted: quote " + quote.quoteNumber + " is priced from crm's catalog")));
                    }
                    if (quote.status == QuoteStatus.ACCEPTED) {
                        return Uni.createFrom().item(new Acceptance(quote, false));
                    }
                    // The customer accepts by checking out.
                    return quotes.acceptAtCheckout(tenantId, quote.id, cart.customerEmail());
                });
    }

    /**
     * 409 when today's catalog prices the cart otherwise, unless its quote was accepted already (a
     * repeat after success answers with it, whatever the catalog says now). A cart the catalog
     * cannot price at all (a product no longer sold) goes on to qualification, which says why.
     */
    private Uni<Void> pricedAsToday(String tenantId, Cart cart) {
        List<LeadProduct> lines = leadOf(cart).products;
        return products.pricesOf(lines.stream().map(LeadProduct::productCode).toList()).map(catalog -> {
            try {
                return cart.firstPriceDifferenceFrom(Pricing.price(lines, catalog, cart.billingCycle()));
            } catch (Conflict unpriceable) {
                return null;
            }
        }).chain(difference -> difference == null ? Uni.createFrom().voidItem()
                : leadRows.findBySourceRef(tenantId, cart.id().toString()).map(lead -> {
                    if (lead == null || lead.status != LeadStatus.CONVERTED) {
                        throw new Conflict(difference + "; nothing was made: cart " + cart.id() + " is priced from crm's catalog");
                    }
                    return null;
                }).replaceWithVoid());
    }

    private static Lead leadOf(Cart cart) {
        Lead lead = new Lead();
        lead.customerName = cart.customerName();
        lead.customerEmail = cart.customerEmail();
        lead.companyName = cart.companyName();
        lead.organizationSlug = cart.organizationSlug();
        lead.region = cart.region();
        lead.products = cart.lines().stream().map(line -> new LeadProduct(line.productCode(), line.quantity())).toList();
        lead.billingCycle = cart.billingCycle();
        lead.source = Lead.SHOP;
        lead.sourceRef = cart.id().toString();
        lead.owner = Lead.SHOP;
        return lead;
    }

    /**
     * The lead qualified by qualification itself. Disqualified, the checkout stops there: a slug that
     * is someone else's is a 409, anything else about the cart a 422, each with every reason. A lead
     * converted meanwhile by another call for the same cart goes on (to its accepted quote).
     */
    private Uni<Lead> qualified(String tenantId, Lead lead) {
        if (lead.status == LeadStatus.QUALIFIED || lead.status == LeadStatus.CONVERTED) {
            return Uni.createFrom().item(lead);
        }
        return leads.qualify(tenantId, lead.id)
                .onFailure(Conflict.class).recoverWithUni(refused -> leads.get(tenantId, lead.id).map(now -> {
                    if (now.status != LeadStatus.CONVERTED) {
                        throw (Conflict) refused;
                    }
                    return now;
                }))
                .map(outcome -> {
                    if (outcome.status == LeadStatus.DISQUALIFIED) {
                        String detail = "Cart " + lead.sourceRef + " cannot be checked out: " + String.join("; ", outcome.qualificationReasons);
                        throw Qualification.slugTaken(outcome.qualificationReasons) ? new Conflict(detail) : new Unprocessable(detail);
                    }
                    return outcome;
                });
    }
}
