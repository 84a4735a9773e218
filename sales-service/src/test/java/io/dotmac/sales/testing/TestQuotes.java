package io.dotmac.sales.testing;

import io.dotmac.common.testing.StandIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Quotes as crm-service serves them (the contract's Quote JSON), unique per call. */
public final class TestQuotes {

    private TestQuotes() {
    }

    /** A unique organization slug (a valid DNS label). */
    public static String slug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> item(String code, String name, int quantity, String unitPrice) {
        return StandIn.crmQuoteItem(code, name, quantity, unitPrice);
    }

    /** An accepted quote for three catalog products (total 696.99 USD, monthly) in eu-west. */
    public static Map<String, Object> accepted(String slug) {
        return accepted(slug, List.of(
                item("isp-core", "ISP Core Platform", 1, "299.00"),
                item("billing-suite", "Billing Suite", 2, "149.00"),
                item("support-desk", "Support Desk (per seat)", 3, "33.33")));
    }

    public static Map<String, Object> accepted(String slug, List<Map<String, Object>> items) {
        return StandIn.crmQuote(UUID.randomUUID().toString(), "accepted", slug, "monthly", items);
    }
}
