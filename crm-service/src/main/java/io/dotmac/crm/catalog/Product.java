package io.dotmac.crm.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** A product of the vendor's catalog, seeded by migration; shared by every tenant (no tenant_id). */
@Entity
@Table(name = "products")
public class Product extends PanacheEntityBase {

    @Id
    public String code;

    public String name;

    /** One or two sentences, as the shop shows them; empty if none was written. */
    public String description;

    /** Exact, two decimals, in {@link #currency}. */
    @Column(name = "unit_price")
    public BigDecimal unitPrice;

    public String currency;

    @Column(name = "billing_cycle")
    public String billingCycle;

    /**
     * The price of a year, exact, for a product billed monthly that can also be bought annually; null
     * if it cannot. A product billed annually has its annual price in {@link #unitPrice} and none here.
     */
    @Column(name = "annual_unit_price")
    public BigDecimal annualUnitPrice;

    public boolean active;

    /** What pricing and qualification need of it, apart from the entity. */
    public CatalogPrice price() {
        return new CatalogPrice(code, name, unitPrice, currency, billingCycle, annualUnitPrice);
    }
}
