package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;

/**
 * A customer's workspace that an order provisioned, at {@code https://<slug>.<base domain>}. Its
 * slug is a DNS label, unique across every API tenant; {@code tenantId} is the API tenant that
 * owns the record, like on every row.
 */
@Entity
@Table(name = "customer_tenants")
public class CustomerTenant extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    /** Torn down when its order was cancelled; the row stays, and so does its claim on the slug. */
    public static final String DEPROVISIONED = "deprovisioned";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String slug;

    public String name;

    public String status;

    @Column(name = "order_id")
    public UUID orderId;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "deprovisioned_at")
    public OffsetDateTime deprovisionedAt;

    void deprovisioned(OffsetDateTime at) {
        status = DEPROVISIONED;
        deprovisionedAt = at;
    }
}
