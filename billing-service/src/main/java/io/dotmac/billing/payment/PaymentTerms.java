package io.dotmac.billing.payment;

import io.dotmac.billing.payment.PaymentService.NewPayment;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.quote.CrmQuotes;
import io.dotmac.common.quote.Quote;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * What a payment for a quote takes: the quote's own total, currency and customer, read from
 * crm-service, never the caller's. A caller may still say what it expects to pay; if that differs
 * from the quote it is told so (422), so that a stale or forged price is an error, not a charge.
 * Only an accepted quote is paid (409). A quote billed monthly or annually is paid as a
 * subscription's first invoice, billed every month or year ({@link #intervalOf}).
 */
@ApplicationScoped
public class PaymentTerms {

    /** What a caller asked for; everything but the quote is optional and only checked. */
    public record Requested(String quoteId, BigDecimal amount, String currency, String customerEmail) {
    }

    private final CrmQuotes crm;

    PaymentTerms(CrmQuotes crm) {
        this.crm = crm;
    }

    public Uni<NewPayment> of(Requested request) {
        return crm.quote(request.quoteId()).map(quote -> terms(request, quote));
    }

    static NewPayment terms(Requested request, Quote quote) {
        String name = quote.name(request.quoteId());
        if (quote.change()) {
            // Its figure is the subscription's new price: what is owed now is Stripe's proration of it.
            throw new Unprocessable("Quote " + name + " changes the seats of quote " + quote.changesQuoteId()
                    + "'s subscription; it is paid through POST /api/v1/billing/subscriptions/changes, not as a payment of its own");
        }
        if (quote.totalAmount() == null || quote.currency() == null) {
            throw new Unprocessable("Quote " + name + " has no total_amount or currency to pay");
        }
        BigDecimal total;
        String currency;
        try {
            total = Money.amount(quote.totalAmount());
            currency = Money.currency(quote.currency());
        } catch (DomainException e) {
            throw new Unprocessable("Quote " + name + "'s total " + quote.totalAmount() + " " + quote.currency()
                    + " cannot be paid: " + e.getMessage());
        }
        boolean amountDiffers = request.amount() != null && request.amount().compareTo(total) != 0;
        boolean currencyDiffers = request.currency() != null && !request.currency().equals(currency);
        if (amountDiffers || currencyDiffers) {
            String asked = (request.amount() == null ? "" : "amount " + request.amount().toPlainString())
                    + (request.amount() != null && request.currency() != null ? " " : "")
                    + (request.currency() == null ? "" : "currency " + request.currency());
            throw new Unprocessable("The request's " + asked + " does not match quote " + name + "'s total "
                    + total.toPlainString() + " " + currency + ": a payment is always of the quote's total, in its currency");
        }
        String email = quote.customerEmail() == null ? null : quote.customerEmail().trim().toLowerCase(Locale.ROOT);
        if (request.customerEmail() != null && !request.customerEmail().equals(email)) {
            throw new Unprocessable("The request's customer_email " + request.customerEmail() + " is not quote "
                    + name + "'s customer" + (email == null ? " (the quote has none)" : " (" + email + ")"));
        }
        if (!Quote.ACCEPTED.equals(quote.status())) {
            throw new Conflict("Quote " + name + " is " + quote.status()
                    + ", not accepted: only an accepted quote is paid");
        }
        // crm's spelling of the id, so that the payment is found by it however the caller wrote it.
        return new NewPayment(quote.id() == null ? request.quoteId() : quote.id(), total, currency, email,
                intervalOf(quote.billingCycle(), name));
    }

    /**
     * Stripe's interval for the quote's billing cycle: {@code month} for monthly, {@code year} for
     * annual, none (a one-off payment) for a quote without one; 422 for a cycle Stripe is not asked to bill.
     */
    static String intervalOf(String billingCycle, String quoteName) {
        if (billingCycle == null || billingCycle.isBlank()) {
            return null;
        }
        return switch (billingCycle.trim().toLowerCase(Locale.ROOT)) {
            case "monthly" -> "month";
            case "annual" -> "year";
            default -> throw new Unprocessable("Quote " + quoteName + "'s billing cycle " + billingCycle
                    + " cannot be billed: monthly or annual");
        };
    }
}
