package io.dotmac.licensing.entitlement;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What a license for a product grants: its features (seeded by migration, one row per product code). */
@Entity
@Table(name = "product_entitlements")
public class ProductEntitlement extends PanacheEntityBase {

    @Id
    @Column(name = "product_code")
    public String productCode;

    @Column(name = "product_name")
    public String productName;

    public String[] features;
}
