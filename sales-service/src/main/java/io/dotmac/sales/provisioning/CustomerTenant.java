package io.dotmac.sales.provisioning;

import io.dotmac.common.error.DomainException.Conflict;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.SortNatural;

/**
 * A customer's workspace that an order provisioned, at {@code https://<slug>.<base domain>}. Its
 * slug is a DNS label, unique across every API tenant; {@code tenantId} is the API tenant that
 * owns the record, like on every row.
 */
@Entity
@Table(name = "customer_tenants")
public class CustomerTenant extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    /** Its access blocked while any hold is on it (an unpaid invoice's, an operator's); its deployment stays. */
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

    /** When the current suspension began, by the first of its holds; null unless suspended (kept once torn down). */
    @Column(name = "suspended_at")
    public OffsetDateTime suspendedAt;

    /**
     * The holds on it, by name ({@code invoice:<id>}, {@code operator}). Read only where they are
     * shown ({@link CustomerTenantRepository#withHolds}): an order's view does without them.
     */
    @ElementCollection
    @CollectionTable(name = "customer_tenant_holds", joinColumns = @JoinColumn(name = "customer_tenant_id"))
    @MapKeyColumn(name = "hold")
    @SortNatural
    public SortedMap<String, Hold> holds = new TreeMap<>();

    /**
     * Puts the hold on, suspending an active tenant; false when that hold is on already. 409 once
     * deprovisioned.
     */
    public boolean hold(String hold, String reason, OffsetDateTime at) {
        if (!ACTIVE.equals(status) && !SUSPENDED.equals(status)) {
            throw new Conflict("Customer tenant " + slug + " is " + status + ": it cannot be suspended");
        }
        if (holds.containsKey(hold)) {
            return false;
        }
        holds.put(hold, new Hold(reason, at));
        if (ACTIVE.equals(status)) {
            status = SUSPENDED;
            suspendedAt = at;
        }
        return true;
    }

    /**
     * Lifts the hold, whatever the tenant's status; false when it is not on (nothing to lift). A
     * suspended tenant is active again once no hold is left.
     */
    public boolean lift(String hold) {
        if (holds.remove(hold) == null) {
            return false;
        }
        if (holds.isEmpty() && SUSPENDED.equals(status)) {
            status = ACTIVE;
            suspendedAt = null;
        }
        return true;
    }

    void deprovisioned(OffsetDateTime at) {
        status = DEPROVISIONED;
        deprovisionedAt = at;
    }
}
