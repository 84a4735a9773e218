package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** The deployment that serves a customer tenant in the order's region, as the provisioner reported it. */
@Entity
@Table(name = "deployment_instances")
public class DeploymentInstance extends PanacheEntityBase {

    /** Torn down when its order was cancelled; the row stays as the record of it. */
    public static final String DEPROVISIONED = "deprovisioned";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "customer_tenant_id")
    public UUID customerTenantId;

    @Column(name = "order_id")
    public UUID orderId;

    public String region;

    /** What the provisioner reports ({@code running} from the recording provisioner), or {@code deprovisioned}. */
    public String status;

    @Column(name = "endpoint_url")
    public String endpointUrl;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "deprovisioned_at")
    public OffsetDateTime deprovisionedAt;

    void deprovisioned(OffsetDateTime at) {
        status = DEPROVISIONED;
        deprovisionedAt = at;
    }
}
