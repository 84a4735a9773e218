package io.dotmac.crm.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A cart's figures checked against its quote, on their own: the first difference, in words, or none. */
class CartTest {

    static Quote quote() {
        Quote quote = new Quote();
        quote.customerName = "Ada Lovelace";
        quote.customerEmail = "ada@example.net";
        quote.companyName = "Analytical Networks";
        quote.organizationSlug = "analytical";
        quote.region = "eu-west";
        quote.billingCycle = "monthly";
        quote.currency = "USD";
        quote.items = List.of(new QuoteItem("isp-core", "ISP Core Platform", 2, new BigDecimal("309.00"), new BigDecimal("618.00")),
                new QuoteItem("support-desk", "Support Desk", 3, new BigDecimal("33.33"), new BigDecimal("99.99")));
        quote.totalAmount = new BigDecimal("717.99");
        return quote;
    }

    static Cart cart(List<Cart.Line> lines, String total) {
        return new Cart(UUID.randomUUID(), "Ada Lovelace", "ada@example.net", "Analytical Networks", "analytical", "eu-west",
                "monthly", "USD", lines, new BigDecimal(total));
    }

    @Test
    void theQuoteExactlyIsNoDifferenceAndAmountsCompareAsNumbers() {
        assertNull(cart(List.of(new Cart.Line("isp-core", 2, new BigDecimal("309")), new Cart.Line("support-desk", 3, new BigDecimal("33.330"))),
                "717.99").firstDifferenceFrom(quote()));
    }

    @Test
    void theFirstDifferenceIsNamed() {
        Cart.Line desk = new Cart.Line("support-desk", 3, new BigDecimal("33.33"));
        assertEquals("isp-core: the cart says 299.00 USD, the catalog 309.00 USD",
                cart(List.of(new Cart.Line("isp-core", 2, new BigDecimal("299.00")), desk), "697.99").firstDifferenceFrom(quote()));
        assertEquals("isp-core: the cart says 1, the quote 2",
                cart(List.of(new Cart.Line("isp-core", 1, new BigDecimal("309.00")), desk), "408.99").firstDifferenceFrom(quote()));
        assertEquals("support-desk: the quote has 3, the cart none",
                cart(List.of(new Cart.Line("isp-core", 2, new BigDecimal("309.00"))), "618.00").firstDifferenceFrom(quote()));
        assertEquals("billing-suite: the cart has 1, the quote none",
                cart(List.of(new Cart.Line("billing-suite", 1, new BigDecimal("149.00"))), "149.00").firstDifferenceFrom(quote()));
        assertEquals("total_amount: the cart says 700.00 USD, the catalog 717.99 USD",
                cart(List.of(new Cart.Line("isp-core", 2, new BigDecimal("309.00")), desk), "700.00").firstDifferenceFrom(quote()));

        Cart euros = new Cart(UUID.randomUUID(), "Ada Lovelace", "ada@example.net", "Analytical Networks", "analytical", "eu-west",
                "monthly", "EUR", List.of(), BigDecimal.ZERO);
        assertEquals("currency: the cart says EUR, the catalog USD", euros.firstDifferenceFrom(quote()));
        Cart other = new Cart(UUID.randomUUID(), "Ada Lovelace", "ada@example.net", "Analytical Networks", "analytical-2", "eu-west",
                "monthly", "USD", List.of(), BigDecimal.ZERO);
        assertEquals("organization_slug: the cart says 'analytical-2', the quote 'analytical' (the customer of a cart is fixed once"
                + " its lead is qualified)", other.firstDifferenceFrom(quote()));
    }
}
