package io.dotmac.sales.shop;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

/** The shop's carts. */
@ApplicationScoped
@WithSession
public class CartRepository implements PanacheRepositoryBase<Cart, UUID> {

    /** The cart, locked until the transaction ends (two changes of one cart take turns), or null. */
    public Uni<Cart> lock(UUID id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
