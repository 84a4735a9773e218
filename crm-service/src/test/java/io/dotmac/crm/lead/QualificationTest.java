package io.dotmac.crm.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.crm.catalog.CatalogPrice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The qualification rules on their own. */
class QualificationTest {

    static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
    static final Map<String, CatalogPrice> CATALOG = Map.of(
            "isp-core", new CatalogPrice("isp-core", "ISP Core Platform", new BigDecimal("299.00"), "USD", "monthly"));

    static Lead lead(String email, String slug, String region, List<LeadProduct> products) {
        Lead lead = new Lead();
        lead.customerName = "Ada";
        lead.companyName = "Analytical";
        lead.customerEmail = email;
        lead.organizationSlug = slug;
        lead.region = region;
        lead.products = products;
        return lead;
    }

    @Test
    void aProductNotSoldWithTheChosenCycleIsAReasonAndASlugTakenIsTold() {
        Map<String, CatalogPrice> catalog = Map.of(
                "isp-core", new CatalogPrice("isp-core", "ISP Core Platform", new BigDecimal("299.00"), "USD", "monthly", new BigDecimal("2990.00")),
                "support-desk", new CatalogPrice("support-desk", "Support Desk", new BigDecimal("33.33"), "USD", "monthly"));
        Lead annual = lead("ada@example.net", "acme-isp", "eu-west", List.of(new LeadProduct("isp-core", 1)));
        annual.billingCycle = "annual";
        assertEquals(List.of(), Qualification.reasonsAgainst(annual, catalog, REGIONS, false));

        annual.products = List.of(new LeadProduct("isp-core", 1), new LeadProduct("support-desk", 2));
        List<String> reasons = Qualification.reasonsAgainst(annual, catalog, REGIONS, true);
        assertTrue(reasons.contains("product_code 'support-desk' is not sold with annual billing (it is billed monthly)"), reasons.toString());
        assertTrue(Qualification.slugTaken(reasons), reasons.toString());
        assertTrue(Qualification.slugTaken(List.of(Qualification.SLUG_TAKEN + ": 'acme-isp' is reserved for another customer")));
        assertFalse(Qualification.slugTaken(List.of("region 'mars' is not offered; offered regions: eu-west")));
    }

    @Test
    void aGoodLeadHasNoReasonsAgainstIt() {
        assertEquals(List.of(), Qualification.reasonsAgainst(
                lead("ada@example.net", "acme-isp", "eu-west", List.of(new LeadProduct("isp-core", 1))), CATALOG, REGIONS, false));
    }

    @Test
    void everyFailingRuleIsAReason() {
        List<String> reasons = Qualification.reasonsAgainst(lead("not-an-email", "Acme_ISP", "mars",
                List.of(new LeadProduct("teleporter", 1), new LeadProduct("isp-core", 0), new LeadProduct("isp-core", 2))),
                CATALOG, REGIONS, false);
        assertEquals(6, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).startsWith("customer_email"), reasons.toString());
        assertTrue(reasons.get(1).startsWith("organization_slug"), reasons.toString());
        assertTrue(reasons.get(2).startsWith("region 'mars'"), reasons.toString());
        assertTrue(reasons.get(3).contains("'teleporter' is not in the catalog"), reasons.toString());
        assertTrue(reasons.get(4).contains("quantity of 'isp-core' must be between 1 and 10000, was 0"), reasons.toString());
        assertTrue(reasons.get(5).contains("'isp-core' is listed more than once"), reasons.toString());
    }

    @Test
    void aTakenSlugAndNoProductsAreReasons() {
        List<String> reasons = Qualification.reasonsAgainst(lead("ada@example.net", "acme-isp", "eu-west", List.of()),
                CATALOG, REGIONS, true);
        assertEquals(List.of("organization_slug 'acme-isp' is already taken by another qualified or converted lead",
                "products: at least one product is required"), reasons);
    }

    @Test
    void slugFormat() {
        for (String good : new String[] {"abc", "a1-b2", "a" + "b".repeat(38) + "c"}) {
            assertTrue(Qualification.validSlug(good), good);
        }
        for (String bad : new String[] {"ab", "1abc", "abc-", "-abc", "ABC", "a_bc", "a.bc", "a" + "b".repeat(39) + "c", ""}) {
            assertFalse(Qualification.validSlug(bad), bad);
        }
    }

    @Test
    void quantityBounds() {
        assertEquals(List.of(), Qualification.reasonsAgainst(
                lead("ada@example.net", "acme-isp", "eu-west", List.of(new LeadProduct("isp-core", 10_000))), CATALOG, REGIONS, false));
        assertEquals(1, Qualification.reasonsAgainst(
                lead("ada@example.net", "acme-isp", "eu-west", List.of(new LeadProduct("isp-core", 10_001))), CATALOG, REGIONS, false).size());
    }
}
