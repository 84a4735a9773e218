package io.dotmac.common.idempotency;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.security.CurrentTenant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Mutating endpoints for the idempotency tests: each writes an outbox row (a real write that the
 * test can count) and answers 201, or fails after writing when asked to.
 */
@Authenticated
@Path("/test/idempotent")
public class IdempotencyTestResource {

    public record Command(String marker, String outcome) {
    }

    private final IdempotencyService idempotency;
    private final OutboxEventRepository outbox;
    private final CurrentTenant tenant;

    IdempotencyTestResource(IdempotencyService idempotency, OutboxEventRepository outbox, CurrentTenant tenant) {
        this.idempotency = idempotency;
        this.outbox = outbox;
        this.tenant = tenant;
    }

    @POST
    @Idempotent
    public Uni<Response> run(Command command) {
        return write(command);
    }

    /** The same under another path: another request to the key. */
    @POST
    @Path("/{marker}")
    @Idempotent
    public Uni<Response> runAt(@PathParam("marker") String marker) {
        return write(new Command(marker, null));
    }

    /** Reads the key itself too (as billing does to key its calls to Stripe): the document shows it once. */
    @POST
    @Path("/keyed")
    @Idempotent
    public Uni<Response> keyed(@HeaderParam(IdempotencyService.HEADER) String key, Command command) {
        return write(command);
    }

    /** Checks first, outside the key's transaction: outcome "refused-by-check" fails there. */
    @POST
    @Path("/checked")
    @Idempotent(checksFirst = true)
    public Uni<Response> checked(Command command) {
        Uni<Void> check = "refused-by-check".equals(command.outcome())
                ? Uni.createFrom().failure(new Conflict("refused by the check"))
                : Uni.createFrom().voidItem();
        return check.chain(() -> idempotency.run(() -> write(command)));
    }

    /** Work that commits by itself, as sales' order processing does: the key only keeps its answer. */
    @POST
    @Path("/unlocked")
    @Idempotent(checksFirst = true)
    public Uni<Response> unlocked(Command command) {
        return idempotency.runUnlocked(() -> Panache.withTransaction(() -> write(command)));
    }

    private Uni<Response> write(Command command) {
        String tenantId = tenant.id();
        String marker = command == null ? "no-body" : command.marker();
        String outcome = command == null || command.outcome() == null ? "created" : command.outcome();
        return outbox.persist(OutboxEvent.of("platform.test.idempotency", marker, "test", tenantId, Map.of("marker", marker)))
                .map(event -> switch (outcome) {
                    case "conflict" -> throw new Conflict("refused after writing");
                    case "accepted" -> Response.status(202).entity(Map.of("event_id", event.id.toString())).build();
                    case "not-found" -> Response.status(404).build();
                    default -> Response.status(201).entity(Map.of("event_id", event.id.toString(), "marker", marker)).build();
                });
    }
}
