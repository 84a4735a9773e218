package io.dotmac.sales.provisioning;

import io.dotmac.common.error.DomainException.Conflict;
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
    /** Its access blocked for an unpaid invoice (dunning); its deployment stays, until it is reinstated. */
    public static final String SUSPENDED = "suspended";
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

    /** When the current suspension began; null unless suspended. */
    @Column(name = "suspended_at")
    public OffsetDateTime suspendedAt;

    @Column(name = "suspension_reason")
    public String suspensionReason;

    /** Suspends an active tenant; false when it is suspended already. 409 once deprovisioned. */
    public boolean suspend(String reason, OffsetDateTime at) {
        if (!moves(ACTIVE, SUSPENDED, "suspended")) {
            return false;
        }
        suspendedAt = at;
        suspensionReason = reason;
        return true;
    }

    /** Makes a suspended tenant active again; false when it is active already. 409 once deprovisioned. */
    public boolean reinstate() {
        if (!moves(SUSPENDED, ACTIVE, "reinstated")) {
            return false;
        }
        suspendedAt = null;
        suspensionReason = null;
        return true;
    }

    void deprovisioned(OffsetDateTime at) {
        status = DEPROVISIONED;
        deprovisionedAt = at;
    }

    // From one status to the other; false when it is there already (a repeated request), 409 from any other.
    private boolean moves(String from, String to, String what) {
        if (status.equals(to)) {
            return false;
        }
        if (!status.equals(from)) {
            throw new Conflict("Customer tenant " + slug + " is " + status + ": it cannot be " + what);
        }
        status = to;
        return true;
    }
}
