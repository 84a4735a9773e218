package io.dotmac.sales.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Quotes as crm-service serves them (the contract's Quote JSON), unique per call. */
public final class TestQuotes {

    private TestQuotes() {
    }

    /** A unique organization slug (a valid DNS label). */
    public static String slug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> item(String code, String name, int quantity, String unitPrice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("product_code", code);
        item.put("product_name", name);
        item.put("quantity", quantity);
        item.put("unit_price", new BigDecimal(unitPrice));
        item.put("line_total", new BigDecimal(unitPrice).multiply(BigDecimal.valueOf(quantity)));
        return item;
    }

    /** An accepted quote for three catalog products (total 696.99 USD, monthly) in eu-west. */
    public static Map<String, Object> accepted(String slug) {
        return accepted(slug, List.of(
                item("isp-core", "ISP Core Platform", 1, "299.00"),
                item("billing-suite", "Billing Suite", 2, "149.00"),
                item("support-desk", "Support Desk (per seat)", 3, "33.33")));
    }

    public static Map<String, Object> accepted(String slug, List<Map<String, Object>> items) {
        String id = UUID.randomUUID().toString();
        BigDecimal total = items.stream().map(i -> (BigDecimal) i.get("line_total")).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Object> quote = new LinkedHashMap<>();
        quote.put("id", id);
        quote.put("quote_number", "Q-" + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        quote.put("lead_id", UUID.randomUUID().toString());
        quote.put("status", "accepted");
        quote.put("currency", "USD");
        quote.put("billing_cycle", "monthly");
        quote.put("total_amount", total);
        quote.put("items", new ArrayList<>(items));
        quote.put("customer_email", "ops@" + slug + ".example");
        quote.put("customer_name", "Ada Lovelace");
        quote.put("company_name", "Analytical Engines " + slug);
        quote.put("organization_slug", slug);
        quote.put("region", "eu-west");
        quote.put("valid_until", "2031-01-31");
        quote.put("sent_at", "2030-12-01T10:00:00Z");
        quote.put("accepted_at", "2030-12-02T10:00:00Z");
        quote.put("accepted_by", "ada@" + slug + ".example");
        quote.put("rejected_at", null);
        quote.put("rejection_reason", null);
        quote.put("created_at", "2030-12-01T09:00:00Z");
        quote.put("updated_at", "2030-12-02T10:00:00Z");
        return quote;
    }
}
