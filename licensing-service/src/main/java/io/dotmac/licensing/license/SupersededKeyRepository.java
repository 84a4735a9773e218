package io.dotmac.licensing.license;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** Licenses' earlier keys, looked up when a key is verified that is not its license's current one. */
@ApplicationScoped
@WithSession
public class SupersededKeyRepository implements PanacheRepositoryBase<SupersededKey, UUID> {

    /** The license's earlier key {@code key}, or null if it never had it. */
    public Uni<SupersededKey> find(UUID licenseId, String key) {
        return find("licenseId = ?1 and licenseKey = ?2", licenseId, key).firstResult();
    }

    /**
     * Stops now every earlier key of these licenses that would verify later: a key a renewal replaced,
     * valid until its own expiry, grants the seats they had before a seat change too.
     */
    public Uni<Integer> withdraw(Collection<UUID> licenseIds, Instant now) {
        return update("validUntil = ?1 where licenseId in ?2 and expiresAt > ?1 and (validUntil is null or validUntil > ?1)",
                now, licenseIds);
    }
}
