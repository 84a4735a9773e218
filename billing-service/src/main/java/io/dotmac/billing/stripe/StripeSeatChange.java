package io.dotmac.billing.stripe;

import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Subscription;
import java.math.BigDecimal;
import java.util.List;

/**
 * Stripe's answer to a seat change ({@link StripeGateway#changeSeats}): whether the subscription
 * took it, and the proration's invoice as Stripe billed it. Stripe prorates per second: a line
 * crediting the unused part of the period at the old price (negative) and one charging its rest at
 * the new price; the invoice's total is their sum, charged at once when positive, else credited to
 * the customer's balance (Stripe takes it off the next invoice). Amounts in the major unit.
 *
 * @param applied false when Stripe holds the change as a pending update: its invoice is unpaid
 * @param invoiceId the proration's invoice; null if Stripe made none (nothing to prorate)
 * @param invoiceStatus that invoice's status ({@code paid}, {@code open}, ...)
 * @param prorated the invoice's total: {@code charged} less {@code credited}
 * @param credited the unused time at the old price, as a positive amount
 * @param charged the remaining time at the new price
 */
public record StripeSeatChange(boolean applied, String invoiceId, String invoiceStatus, BigDecimal prorated, BigDecimal credited,
                               BigDecimal charged) {

    public static StripeSeatChange of(Subscription answer, Invoice invoice) {
        boolean applied = answer.getPendingUpdate() == null;
        if (invoice == null) {
            BigDecimal none = StripeInvoice.major(0L);
            return new StripeSeatChange(applied, null, null, none, none, none);
        }
        List<InvoiceLineItem> prorations = invoice.getLines() == null || invoice.getLines().getData() == null ? List.of()
                : invoice.getLines().getData().stream().filter(StripeSeatChange::proration).toList();
        long credited = prorations.stream().mapToLong(line -> amount(line)).filter(cents -> cents < 0).sum();
        long charged = prorations.stream().mapToLong(line -> amount(line)).filter(cents -> cents > 0).sum();
        return new StripeSeatChange(applied, invoice.getId(), invoice.getStatus(), StripeInvoice.major(invoice.getTotal()),
                StripeInvoice.major(-credited), StripeInvoice.major(charged));
    }

    private static boolean proration(InvoiceLineItem line) {
        var details = line.getParent() == null ? null : line.getParent().getSubscriptionItemDetails();
        return details != null && Boolean.TRUE.equals(details.getProration());
    }

    private static long amount(InvoiceLineItem line) {
        return line.getAmount() == null ? 0 : line.getAmount();
    }
}
