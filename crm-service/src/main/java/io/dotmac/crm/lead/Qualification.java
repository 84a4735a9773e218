package io.dotmac.crm.lead;

import io.dotmac.crm.catalog.CatalogPrice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a vendor qualifies a lead by, as a pure function: given the lead, the catalog prices of
 * what it asks for, the regions offered and whether its slug is held by another lead, the reasons
 * it fails (none: it is qualified). Every rule is checked, so a lead learns all it must fix at once.
 */
public final class Qualification {

    /** The future tenant subdomain: 3 to 40 characters, lower case, no leading or trailing hyphen. */
    public static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,38}[a-z0-9]$");
    /** The reason of a lead whose slug another customer of the platform holds (sales-service said so). */
    public static final String SLUG_TAKEN = "organization slug taken";
    /** How the reason ends of a lead whose slug another lead of the tenant holds. */
    private static final String SLUG_HELD = "' is already taken by another qualified or converted lead";
    public static final int MIN_QUANTITY = 1;
    public static final int MAX_QUANTITY = 10_000;

    // A pragmatic address check: a local part, an @, and a domain of at least two labels whose
    // last is alphabetic. Deliverability is the mail server's business.
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
    private static final int MAX_EMAIL_LENGTH = 254;

    private Qualification() {
    }

    public static boolean validSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches();
    }

    /**
     * @param catalog the catalog's active products among those the lead asks for, by code
     * @param regions the regions offered
     * @param slugHeldElsewhere whether another lead of the tenant that is qualified or converted holds the slug
     */
    public static List<String> reasonsAgainst(Lead lead, Map<String, CatalogPrice> catalog, Collection<String> regions,
                                              boolean slugHeldElsewhere) {
        List<String> reasons = new ArrayList<>();
        if (isBlank(lead.customerName)) {
            reasons.add("customer_name is missing");
        }
        if (isBlank(lead.companyName)) {
            reasons.add("company_name is missing");
        }
        String email = lead.customerEmail;
        if (email == null || email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
            reasons.add("customer_email '" + email + "' is not a valid email address");
        }
        if (!validSlug(lead.organizationSlug)) {
            reasons.add("organization_slug '" + lead.organizationSlug + "' must be 3 to 40 lower-case letters, digits"
                    + " or hyphens, starting with a letter and not ending with a hyphen");
        } else if (slugHeldElsewhere) {
            reasons.add("organization_slug '" + lead.organizationSlug + SLUG_HELD);
        }
        if (!regions.contains(lead.region)) {
            reasons.add("region '" + lead.region + "' is not offered; offered regions: " + String.join(", ", regions));
        }
        reasons.addAll(productReasons(lead.products == null ? List.of() : lead.products, catalog, lead.billingCycle));
        return reasons;
    }

    /** Whether one of these reasons is that the slug is someone else's: a conflict, not a lead to correct. */
    public static boolean slugTaken(List<String> reasons) {
        return reasons.stream().anyMatch(r -> r.startsWith(SLUG_TAKEN) || r.endsWith(SLUG_HELD));
    }

    /** What is wrong with a list of products to buy (empty when nothing): also a seat change's. */
    public static List<String> productReasons(List<LeadProduct> products, Map<String, CatalogPrice> catalog) {
        return productReasons(products, catalog, null);
    }

    /**
     * The same, for products bought with {@code billingCycle} (null: each with its own): a product
     * not sold with it is a reason, as pricing would refuse it.
     */
    public static List<String> productReasons(List<LeadProduct> products, Map<String, CatalogPrice> catalog,
                                              String billingCycle) {
        List<String> reasons = new ArrayList<>();
        if (products.isEmpty()) {
            reasons.add("products: at least one product is required");
            return reasons;
        }
        Set<String> seen = new HashSet<>();
        Set<String> billing = new HashSet<>();
        for (LeadProduct product : products) {
            String code = product.productCode();
            if (!seen.add(code)) {
                reasons.add("product_code '" + code + "' is listed more than once");
                continue;
            }
            CatalogPrice listed = catalog.get(code);
            CatalogPrice price = listed == null ? null : listed.at(billingCycle);
            if (listed == null) {
                reasons.add("product_code '" + code + "' is not in the catalog");
            } else if (price == null) {
                reasons.add("product_code '" + code + "' is not sold with " + billingCycle + " billing (it is billed "
                        + listed.billingCycle() + ")");
            } else {
                billing.add(price.currency() + " " + price.billingCycle());
            }
            if (product.quantity() < MIN_QUANTITY || product.quantity() > MAX_QUANTITY) {
                reasons.add("quantity of '" + code + "' must be between " + MIN_QUANTITY + " and " + MAX_QUANTITY
                        + ", was " + product.quantity());
            }
        }
        // One quote has one currency and one billing cycle.
        if (billing.size() > 1) {
            reasons.add("products are billed in different currencies or cycles: " + String.join(", ", billing.stream().sorted().toList()));
        }
        return reasons;
    }

    private static boolean isBlank(String s) {
        return Objects.requireNonNullElse(s, "").isBlank();
    }
}
