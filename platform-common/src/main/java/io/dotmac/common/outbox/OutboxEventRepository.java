package io.dotmac.common.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Reads and writes outbox rows; the relay and the services that emit events share it. */
@ApplicationScoped
@WithSession
public class OutboxEventRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {
}
