package io.dotmac.licensing.license;

import io.dotmac.common.error.DomainException.Conflict;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer's license for one product, from one purchase (the source), with its signed key. A
 * key is made at issue and at each renewal (which extends the expiry: the earlier key is kept as a
 * {@link SupersededKey}); suspension and revocation change the record, which verification
 * consults, never a key the customer holds.
 */
@Entity
@Table(name = "licenses")
public class License extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "customer_id")
    public String customerId;

    /** The quote the product was bought with: its id as crm-service spells it. */
    @Column(name = "source_id")
    public String sourceId;

    @Column(name = "product_code")
    public String productCode;

    public int seats;

    /** The product's features when the license was issued. */
    public String[] features;

    /** As stored: active, suspended or revoked; see {@link #statusAt}. */
    public LicenseStatus status;

    @Column(name = "billing_cycle")
    public BillingCycle billingCycle;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The id of the public key that verifies {@link #licenseKey}. */
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "license_key")
    public String licenseKey;

    @Column(name = "suspended_at")
    public Instant suspendedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The status in force at {@code now}: revoked stays revoked; otherwise past its expiry a license is expired. */
    public LicenseStatus statusAt(Instant now) {
        if (status == LicenseStatus.REVOKED) {
            return status;
        }
        return now.isBefore(expiresAt) ? status : LicenseStatus.EXPIRED;
    }

    /** Whether a renewal to {@code periodEnd} extends it: it is not revoked, and runs out before. */
    boolean renewableTo(Instant periodEnd) {
        return status != LicenseStatus.REVOKED && periodEnd.isAfter(expiresAt);
    }

    /**
     * Runs until {@code periodEnd} under {@code newKey}, signed so ({@link #renewableTo} first); the
     * key it had is returned, to stay valid until its own expiry.
     */
    SupersededKey extendTo(Instant periodEnd, String newKeyId, String newKey, Instant now) {
        SupersededKey old = SupersededKey.of(this, now);
        expiresAt = periodEnd;
        keyId = newKeyId;
        licenseKey = newKey;
        updatedAt = now;
        return old;
    }

    /** Only an active license can be suspended. */
    void suspend(Instant now) {
        require(now, LicenseStatus.ACTIVE, "suspend", "only an active license can be suspended");
        status = LicenseStatus.SUSPENDED;
        suspendedAt = now;
        updatedAt = now;
    }

    /** Back to active, from suspended only (an expired license stays expired). */
    void reinstate(Instant now) {
        require(now, LicenseStatus.SUSPENDED, "reinstate", "only a suspended license can be reinstated");
        status = LicenseStatus.ACTIVE;
        suspendedAt = null;
        updatedAt = now;
    }

    /** Revocation is final; anything not yet revoked can be. */
    void revoke(Instant now) {
        if (statusAt(now) == LicenseStatus.REVOKED) {
            throw new Conflict("License " + id + " is revoked already; revocation is final");
        }
        status = LicenseStatus.REVOKED;
        revokedAt = now;
        updatedAt = now;
    }

    private void require(Instant now, LicenseStatus expected, String action, String rule) {
        LicenseStatus current = statusAt(now);
        if (current != expected) {
            throw new Conflict("Cannot " + action + " license " + id + ": it is " + current.code() + "; " + rule);
        }
    }
}
