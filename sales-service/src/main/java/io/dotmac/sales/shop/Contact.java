package io.dotmac.sales.shop;

/** Who checks a cart out, and the organization they buy for: what crm makes the lead of. */
public record Contact(String customerName, String customerEmail, String companyName, String organizationSlug, String region) {

    boolean sameAs(Cart cart) {
        return customerName.equals(cart.customerName) && customerEmail.equals(cart.customerEmail)
                && companyName.equals(cart.companyName) && organizationSlug.equals(cart.organizationSlug)
                && region.equals(cart.region);
    }
}
