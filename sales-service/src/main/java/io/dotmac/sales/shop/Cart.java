package io.dotmac.sales.shop;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A shop visitor's cart (V7__shop_carts.sql says how it is kept). */
@Entity
@Table(name = "shop_carts")
public class Cart extends PanacheEntityBase {

    public static final String OPEN = "open";
    public static final String CHECKED_OUT = "checked_out";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    /** SHA-256 of the secret in the visitor's cookie. */
    @Column(name = "secret_hash")
    public byte[] secretHash;

    public String status;

    @Column(name = "billing_cycle")
    public String billingCycle;

    @JdbcTypeCode(SqlTypes.JSON)
    public CartLines lines;

    @Column(name = "customer_name")
    public String customerName;

    @Column(name = "customer_email")
    public String customerEmail;

    @Column(name = "company_name")
    public String companyName;

    @Column(name = "organization_slug")
    public String organizationSlug;

    public String region;

    @Column(name = "checked_out_at")
    public OffsetDateTime checkedOutAt;

    /** crm's accepted quote for this cart, once the engine made it. */
    @Column(name = "quote_id")
    public String quoteId;

    /** Stripe's hosted page where the visitor pays, once billing opened it. */
    @Column(name = "checkout_url")
    public String checkoutUrl;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public List<CartLine> items() {
        return lines == null || lines.items() == null ? List.of() : lines.items();
    }

    public Optional<CartLine> line(String productCode) {
        return items().stream().filter(line -> line.productCode().equals(productCode)).findFirst();
    }

    /** Replaces the line of its product (in place) or adds it at the end. */
    void put(CartLine line) {
        List<CartLine> changed = new ArrayList<>(items());
        int at = indexOf(line.productCode());
        if (at >= 0) {
            changed.set(at, line);
        } else {
            changed.add(line);
        }
        lines = new CartLines(List.copyOf(changed));
    }

    void remove(String productCode) {
        lines = new CartLines(items().stream().filter(line -> !line.productCode().equals(productCode)).toList());
    }

    private int indexOf(String productCode) {
        List<CartLine> all = items();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).productCode().equals(productCode)) {
                return i;
            }
        }
        return -1;
    }
}
