package io.dotmac.licensing.license;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.licensing.entitlement.ProductEntitlement;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.SortNatural;

/**
 * A customer's license for one product, from one purchase (the source), with its signed key. A
 * key is made at issue, at each renewal (which extends the expiry) and at each seat change (which
 * changes the seats); the earlier key is kept as a {@link SupersededKey}. Suspension (by holds),
 * revocation and expiry at a subscription's end change the record, which verification consults,
 * never a key the customer holds.
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

    /** As stored: active, suspended (while it has {@link #holds}), revoked or expired; see {@link #statusAt}. */
    public LicenseStatus status;

    /**
     * The holds on it, by name ({@code invoice:<id>}, {@code operator}): an active license is
     * suspended while any is on it. Read with every license (every view shows them), a page's at
     * once; a revoked or expired license keeps those it had until they are lifted.
     */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "license_holds", joinColumns = @JoinColumn(name = "license_id"))
    @MapKeyColumn(name = "hold")
    @SortNatural
    @BatchSize(size = PageRequest.MAX_SIZE)
    public SortedMap<String, Hold> holds = new TreeMap<>();

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

    /** When the current suspension began, by the first of its holds. */
    @Column(name = "suspended_at")
    public Instant suspendedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /**
     * The change quote whose seat change no longer bought its product, which revoked it; null for a
     * license revoked otherwise, or not at all. A product removed so may be bought again by a later
     * change, as a new license; one revoked otherwise stays revoked.
     */
    @Column(name = "removed_by_change")
    public String removedByChange;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * A new active license of {@code product} for {@code seats} in the set of (tenant, customer,
     * source), with the product's features as they are now; its key is the caller's to sign and set.
     */
    static License issued(String tenantId, String customerId, String sourceId, ProductEntitlement product, int seats,
                          BillingCycle cycle, Instant now, Instant expiresAt) {
        License license = new License();
        license.id = UUID.randomUUID();
        license.tenantId = tenantId;
        license.customerId = customerId;
        license.sourceId = sourceId;
        license.productCode = product.productCode;
        license.seats = seats;
        license.features = product.features.clone();
        license.status = LicenseStatus.ACTIVE;
        license.billingCycle = cycle;
        license.issuedAt = now;
        license.expiresAt = expiresAt;
        license.updatedAt = now;
        return license;
    }

    /** The status in force at {@code now}: revoked and expired stay so; otherwise past its expiry a license is expired. */
    public LicenseStatus statusAt(Instant now) {
        if (status == LicenseStatus.REVOKED || status == LicenseStatus.EXPIRED) {
            return status;
        }
        return now.isBefore(expiresAt) ? status : LicenseStatus.EXPIRED;
    }

    /**
     * Whether a renewal to {@code periodEnd} extends it: it is not revoked nor expired with its
     * subscription (an invoice delivered after the end must not revive it), and runs out before.
     */
    boolean renewableTo(Instant periodEnd) {
        return status != LicenseStatus.REVOKED && status != LicenseStatus.EXPIRED && periodEnd.isAfter(expiresAt);
    }

    /**
     * Runs until {@code periodEnd} under {@code newKey}, signed so ({@link #renewableTo} first); the
     * key it had is returned, to stay valid until its own expiry.
     */
    SupersededKey extendTo(Instant periodEnd, String newKeyId, String newKey, Instant now) {
        SupersededKey old = SupersededKey.renewed(this, now);
        expiresAt = periodEnd;
        keyId = newKeyId;
        licenseKey = newKey;
        updatedAt = now;
        return old;
    }

    /**
     * Grants {@code newSeats} from now on under {@code newKey}, signed so with its expiry; the key it
     * had is returned, to stop verifying now: it grants seats the license no longer has.
     */
    SupersededKey reseat(int newSeats, String newKeyId, String newKey, Instant now) {
        // Fewer seats: the old key grants seats no longer paid for. More: it grants fewer, and is rolled out like a renewal's.
        SupersededKey old = newSeats < seats ? SupersededKey.reseated(this, now) : SupersededKey.renewed(this, now);
        seats = newSeats;
        keyId = newKeyId;
        licenseKey = newKey;
        updatedAt = now;
        return old;
    }

    /** Revoked because the seat change of the quote {@code changeId} no longer buys its product. */
    void remove(String changeId, Instant now) {
        revoke(now);
        removedByChange = changeId;
    }

    /**
     * Whether a hold can be put on it: active or suspended as stored, whatever its expiry says (a
     * renewal may extend it, and must find it suspended then); not revoked, nor expired with its
     * subscription.
     */
    boolean holdable() {
        return status == LicenseStatus.ACTIVE || status == LicenseStatus.SUSPENDED;
    }

    /** Puts the hold on, suspending it; false when that hold is on already. 409 unless {@link #holdable}. */
    boolean hold(String hold, String reason, Instant now) {
        if (!holdable()) {
            throw new Conflict("Cannot suspend license " + id + ": it is " + status.code()
                    + "; a revoked license, or one expired with its subscription, stays so");
        }
        if (holds.containsKey(hold)) {
            return false;
        }
        holds.put(hold, new Hold(reason, now));
        if (status == LicenseStatus.ACTIVE) {
            status = LicenseStatus.SUSPENDED;
            suspendedAt = now;
        }
        updatedAt = now;
        return true;
    }

    /**
     * Lifts the hold, whatever the license's status; false when it is not on (nothing to lift). A
     * suspended license is active again once no hold is left.
     */
    boolean lift(String hold, Instant now) {
        if (holds.remove(hold) == null) {
            return false;
        }
        if (holds.isEmpty() && status == LicenseStatus.SUSPENDED) {
            status = LicenseStatus.ACTIVE;
            suspendedAt = null;
        }
        updatedAt = now;
        return true;
    }

    /**
     * Runs out now (or stays run out, if its date has passed) and stays expired: its subscription
     * ended. For an active or suspended license by stored status. Its earlier keys stop with it, as
     * none verifies past its license's expiry.
     */
    void expire(Instant now) {
        status = LicenseStatus.EXPIRED;
        expiresAt = expiresAt.isBefore(now) ? expiresAt : now;
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
}
