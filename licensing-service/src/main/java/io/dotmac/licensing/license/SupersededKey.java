package io.dotmac.licensing.license;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A key a license was given before a renewal replaced it. It still verifies until its own expiry, or
 * its license's if that comes first, with the license's status (a suspended, revoked or expired
 * license is so under every key it has had).
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

    static SupersededKey of(License license, Instant now) {
        SupersededKey key = new SupersededKey();
        key.id = UUID.randomUUID();
        key.licenseId = license.id;
        key.keyId = license.keyId;
        key.licenseKey = license.licenseKey;
        key.expiresAt = license.expiresAt;
        key.supersededAt = now;
        return key;
    }
}
