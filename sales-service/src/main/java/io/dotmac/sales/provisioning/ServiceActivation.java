package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** One service of an order switched on in its deployment: its attempts and the last error; switched off when the order is cancelled. */
@Entity
@Table(name = "service_activations")
public class ServiceActivation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "order_id")
    public UUID orderId;

    public int position;

    @Column(name = "service_code")
    public String serviceCode;

    @Column(name = "service_name")
    public String serviceName;

    public int quantity;

    @Convert(converter = ActivationStatus.Column.class)
    public ActivationStatus status;

    public int attempts;

    public String error;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    @Column(name = "deprovisioned_at")
    public OffsetDateTime deprovisionedAt;

    void completed() {
        status = ActivationStatus.COMPLETED;
        error = null;
        completedAt = OffsetDateTime.now();
    }

    /** Attempted again: pending until this attempt's outcome, the last error kept until then. */
    void retrying() {
        status = ActivationStatus.PENDING;
    }

    void failed(String reason) {
        status = ActivationStatus.FAILED;
        error = reason;
    }

    /** Switched off with its order's teardown, whatever it was: attempts, error and completed_at stay as they were. */
    void deprovisioned(OffsetDateTime at) {
        status = ActivationStatus.DEPROVISIONED;
        deprovisionedAt = at;
    }
}
