package io.dotmac.sales.slug;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Slug reservations, across all vendor tenants: a slug is global. */
@ApplicationScoped
@WithSession
public class SlugReservationRepository implements PanacheRepositoryBase<SlugReservation, String> {

    /**
     * Takes the slug's lock until the transaction ends, whether or not it is reserved yet, so that
     * two leads reserving one free slug at once take turns; then its reservation, or null.
     */
    public Uni<SlugReservation> lock(String slug) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked", Integer.class)
                .setParameter(1, "sales.slug:" + slug)
                .getSingleResult())
                .chain(() -> find("slug", slug).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult());
    }
}
