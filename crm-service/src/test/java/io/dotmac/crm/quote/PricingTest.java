package io.dotmac.crm.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.crm.catalog.CatalogPrice;
import io.dotmac.crm.lead.LeadProduct;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pricing on its own: exact decimal lines and totals, and the refusals. No application involved. */
class PricingTest {

    static final CatalogPrice CORE = new CatalogPrice("isp-core", "ISP Core Platform", new BigDecimal("299.00"), "USD", "monthly");
    static final CatalogPrice DESK = new CatalogPrice("support-desk", "Support Desk (per seat)", new BigDecimal("33.33"), "USD", "monthly");
    static final Map<String, CatalogPrice> CATALOG = Map.of(CORE.code(), CORE, DESK.code(), DESK);

    @Test
    void threeSeatsAt3333AreExactly9999() {
        PricedQuote priced = Pricing.price(List.of(new LeadProduct("support-desk", 3)), CATALOG);

        QuoteItem line = priced.items().get(0);
        // equals() on BigDecimal compares the scale too: 99.99, not 99.990 or 99.98999...
        assertEquals(new BigDecimal("33.33"), line.unitPrice());
        assertEquals(new BigDecimal("99.99"), line.lineTotal());
        assertEquals(new BigDecimal("99.99"), priced.total());
        assertEquals(3, line.quantity());
        assertEquals("Support Desk (per seat)", line.productName());
    }

    @Test
    void linesKeepTheLeadsOrderAndTheTotalIsTheirExactSum() {
        PricedQuote priced = Pricing.price(List.of(new LeadProduct("isp-core", 1), new LeadProduct("support-desk", 3)), CATALOG);

        assertEquals(List.of("isp-core", "support-desk"), priced.items().stream().map(QuoteItem::productCode).toList());
        assertEquals(new BigDecimal("299.00"), priced.items().get(0).lineTotal());
        assertEquals(new BigDecimal("398.99"), priced.total());
        assertEquals("USD", priced.currency());
        assertEquals("monthly", priced.billingCycle());
    }

    @Test
    void manyLinesDoNotDrift() {
        // 10000 seats at 33.33 once, against 33.33 added up 10000 times as a double would drift.
        PricedQuote priced = Pricing.price(List.of(new LeadProduct("support-desk", 10_000)), CATALOG);
        assertEquals(new BigDecimal("333300.00"), priced.total());
    }

    @Test
    void refusesWhatCannotBePriced() {
        Conflict unknown = assertThrows(Conflict.class,
                () -> Pricing.price(List.of(new LeadProduct("teleporter", 1)), CATALOG));
        assertTrue(unknown.getMessage().contains("teleporter"), unknown.getMessage());

        assertThrows(Conflict.class, () -> Pricing.price(List.of(new LeadProduct("isp-core", 0)), CATALOG));
        assertThrows(Conflict.class, () -> Pricing.price(List.of(), CATALOG));

        CatalogPrice annual = new CatalogPrice("annual-thing", "Annual thing", new BigDecimal("10.00"), "USD", "annual");
        Conflict mixed = assertThrows(Conflict.class, () -> Pricing.price(
                List.of(new LeadProduct("isp-core", 1), new LeadProduct("annual-thing", 1)), Map.of("isp-core", CORE, "annual-thing", annual)));
        assertTrue(mixed.getMessage().contains("different currencies or cycles"), mixed.getMessage());
    }

    @Test
    void aChosenCyclePricesEveryProductAtItsPriceForThatCycle() {
        CatalogPrice core = new CatalogPrice("isp-core", "ISP Core Platform", new BigDecimal("299.00"), "USD", "monthly",
                new BigDecimal("2990.00"));
        CatalogPrice yearly = new CatalogPrice("annual-thing", "Annual thing", new BigDecimal("10.00"), "USD", "annual");
        Map<String, CatalogPrice> catalog = Map.of(core.code(), core, yearly.code(), yearly, DESK.code(), DESK);

        // Annual: a monthly product at its annual price, an annual one at its own; one cycle, so they mix.
        PricedQuote annual = Pricing.price(List.of(new LeadProduct("isp-core", 2), new LeadProduct("annual-thing", 1)), catalog, "annual");
        assertEquals(new BigDecimal("2990.00"), annual.items().get(0).unitPrice());
        assertEquals(new BigDecimal("5980.00"), annual.items().get(0).lineTotal());
        assertEquals(new BigDecimal("10.00"), annual.items().get(1).unitPrice());
        assertEquals(new BigDecimal("5990.00"), annual.total());
        assertEquals("annual", annual.billingCycle());

        PricedQuote monthly = Pricing.price(List.of(new LeadProduct("isp-core", 1)), catalog, "monthly");
        assertEquals(new BigDecimal("299.00"), monthly.total());
        assertEquals("monthly", monthly.billingCycle());
        // No cycle chosen: each product's own, as before.
        assertEquals(monthly, Pricing.price(List.of(new LeadProduct("isp-core", 1)), catalog, null));

        Conflict notAnnual = assertThrows(Conflict.class, () -> Pricing.price(List.of(new LeadProduct("support-desk", 1)), catalog, "annual"));
        assertTrue(notAnnual.getMessage().contains("'support-desk' is not sold with annual billing"), notAnnual.getMessage());
        Conflict notMonthly = assertThrows(Conflict.class, () -> Pricing.price(List.of(new LeadProduct("annual-thing", 1)), catalog, "monthly"));
        assertTrue(notMonthly.getMessage().contains("'annual-thing' is not sold with monthly billing"), notMonthly.getMessage());
    }

    @Test
    void aCatalogPriceWithMoreThanTwoDecimalsIsAnErrorNotRounded() {
        CatalogPrice odd = new CatalogPrice("odd", "Odd", new BigDecimal("1.005"), "USD", "monthly");
        assertThrows(ArithmeticException.class, () -> Pricing.price(List.of(new LeadProduct("odd", 1)), Map.of("odd", odd)));
    }
}
