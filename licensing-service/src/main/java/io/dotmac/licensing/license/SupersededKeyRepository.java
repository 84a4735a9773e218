package io.dotmac.licensing.license;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Licenses' earlier keys, looked up when a key is verified that is not its license's current one. */
@ApplicationScoped
@WithSession
public class SupersededKeyRepository implements PanacheRepositoryBase<SupersededKey, UUID> {

    /** The license's earlier key {@code key}, or null if it never had it. */
    public Uni<SupersededKey> find(UUID licenseId, String key) {
        return find("licenseId = ?1 and licenseKey = ?2", licenseId, key).firstResult();
    }
}
