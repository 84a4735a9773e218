package io.dotmac.crm.quote;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A shop cart at checkout, as the workflow engine hands it over: who buys, what, and the prices the
 * visitor was shown. Those prices are never a quote's: crm prices the cart from its own catalog and
 * only checks the cart's figures against its quote ({@link #firstDifferenceFrom}).
 */
public record Cart(UUID id, String customerName, String customerEmail, String companyName, String organizationSlug,
                   String region, String billingCycle, String currency, List<Line> lines, BigDecimal totalAmount) {

    /** A line of the cart: a product, how many, and the unit price the visitor was shown. */
    public record Line(String productCode, int quantity, BigDecimal unitPrice) {
    }

    /**
     * The first way in which the cart is not the quote, in words that name it (the customer, then
     * the billing cycle, the currency, each line in the cart's order, a line the cart lacks, the
     * total); null when it is the quote exactly. Amounts are compared as numbers (299 is 299.00).
     */
    public String firstDifferenceFrom(Quote quote) {
        String customer = firstOf(
                differs("customer_name", customerName, quote.customerName),
                differs("customer_email", customerEmail, quote.customerEmail),
                differs("company_name", companyName, quote.companyName),
                differs("organization_slug", organizationSlug, quote.organizationSlug),
                differs("region", region, quote.region));
        if (customer != null) {
            return customer + " (the customer of a cart is fixed once its lead is qualified)";
        }
        return firstPriceDifference(quote.billingCycle, quote.currency, quote.items, quote.totalAmount);
    }

    /** The first way in which the cart's lines and total are not the catalog's pricing of them; null when they are. */
    public String firstPriceDifferenceFrom(PricedQuote priced) {
        return firstPriceDifference(priced.billingCycle(), priced.currency(), priced.items(), priced.total());
    }

    private String firstPriceDifference(String quotedCycle, String quotedCurrency, List<QuoteItem> items, BigDecimal quotedTotal) {
        if (!Objects.equals(billingCycle, quotedCycle)) {
            return "billing_cycle: the cart says " + billingCycle + ", the quote " + quotedCycle;
        }
        if (!Objects.equals(currency, quotedCurrency)) {
            return "currency: the cart says " + currency + ", the catalog " + quotedCurrency;
        }
        for (Line line : lines) {
            QuoteItem item = items.stream().filter(i -> i.productCode().equals(line.productCode())).findFirst().orElse(null);
            if (item == null) {
                return line.productCode() + ": the cart has " + line.quantity() + ", the quote none";
            }
            if (item.quantity() != line.quantity()) {
                return line.productCode() + ": the cart says " + line.quantity() + ", the quote " + item.quantity();
            }
            if (item.unitPrice().compareTo(line.unitPrice()) != 0) {
                return line.productCode() + ": the cart says " + amount(line.unitPrice(), currency) + ", the catalog "
                        + amount(item.unitPrice(), quotedCurrency);
            }
        }
        for (QuoteItem item : items) {
            if (lines.stream().noneMatch(line -> line.productCode().equals(item.productCode()))) {
                return item.productCode() + ": the quote has " + item.quantity() + ", the cart none";
            }
        }
        if (totalAmount.compareTo(quotedTotal) != 0) {
            return "total_amount: the cart says " + amount(totalAmount, currency) + ", the catalog "
                    + amount(quotedTotal, quotedCurrency);
        }
        return null;
    }

    private static String differs(String field, String cart, String quote) {
        return Objects.equals(cart, quote) ? null : field + ": the cart says '" + cart + "', the quote '" + quote + "'";
    }

    private static String firstOf(String... differences) {
        for (String difference : differences) {
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }

    private static String amount(BigDecimal value, String currency) {
        return value.toPlainString() + " " + currency;
    }
}
