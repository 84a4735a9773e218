package io.dotmac.licensing.license;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A key a license was given before a new one replaced it. It still verifies until {@link
 * #verifiesUntil}, with the license's status (a suspended, revoked or expired license is so under
 * every key it has had). How long depends on why it was replaced: a renewal's runs to its own expiry,
 * a seat change's stops at once.
 */
@Entity
@Table(name = "license_keys")
public class SupersededKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "license_id")
    public UUID licenseId;

    @Column(name = "key_id")
    public String keyId;

    @Column(name = "license_key")
    public String licenseKey;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "superseded_at")
    public Instant supersededAt;

    /**
     * When it stopped verifying before its own expiry: once the seats it grants were no longer the
     * license's (a seat change). Null while it runs to {@link #expiresAt}.
     */
    @Column(name = "valid_until")
    public Instant validUntil;

    /**
     * The license's key, replaced by a renewal's or by one of more seats: valid until its own expiry,
     * so that a platform holding it is not cut off while the new key is rolled out.
     */
    static SupersededKey renewed(License license, Instant now) {
        return of(license, null, now);
    }

    /** The license's key, replaced by one of fewer seats: it grants seats the license no longer has, so it stops now. */
    static SupersededKey reseated(License license, Instant now) {
        return of(license, now, now);
    }

    private static SupersededKey of(License license, Instant validUntil, Instant now) {
        SupersededKey key = new SupersededKey();
        key.id = UUID.randomUUID();
        key.licenseId = license.id;
        key.keyId = license.keyId;
        key.licenseKey = license.licenseKey;
        key.expiresAt = license.expiresAt;
        key.validUntil = validUntil;
        key.supersededAt = now;
        return key;
    }

    /** The earliest of its own expiry, {@link #validUntil} and its license's expiry (which a subscription's end brings forward). */
    Instant verifiesUntil(License license) {
        Instant until = validUntil != null && validUntil.isBefore(expiresAt) ? validUntil : expiresAt;
        return until.isBefore(license.expiresAt) ? until : license.expiresAt;
    }
}
