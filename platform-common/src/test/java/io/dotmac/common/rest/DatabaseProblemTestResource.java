package io.dotmac.common.rest;

import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.Map;
import java.util.UUID;

/** Writes that PostgreSQL refuses, flushed by Hibernate: the mapper must answer them as client errors. */
@Authenticated
@Path("/test/database-problems")
public class DatabaseProblemTestResource {

    private final OutboxEventRepository outbox;

    DatabaseProblemTestResource(OutboxEventRepository outbox) {
        this.outbox = outbox;
    }

    @POST
    @Path("/duplicate")
    public Uni<String> duplicate() {
        UUID id = UUID.randomUUID();
        return Panache.withTransaction(() -> outbox.persist(event(id)))
                .chain(() -> Panache.withTransaction(() -> outbox.persist(event(id))))
                .map(ignored -> "stored twice");
    }

    @POST
    @Path("/nul")
    public Uni<String> nul() {
        OutboxEvent event = event(UUID.randomUUID());
        event.topic = "bad\u0000topic";
        return Panache.withTransaction(() -> outbox.persist(event)).map(ignored -> "stored");
    }

    private static OutboxEvent event(UUID id) {
        OutboxEvent event = OutboxEvent.of("platform.test.problems", id.toString(), "test", "tenant-a", Map.of());
        event.id = id;
        return event;
    }
}
