package io.dotmac.common.idempotency;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.security.CurrentTenant;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * A mutating endpoint for the idempotency tests: it writes an outbox row (a real write that the
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
    public Uni<Response> run(@HeaderParam(IdempotencyService.HEADER) String key, Command command) {
        String tenantId = tenant.id();
        return idempotency.run(key, "POST", "/test/idempotent", command, () -> outbox
                .persist(OutboxEvent.of("platform.test.idempotency", command.marker(), "test", tenantId, Map.of("marker", command.marker())))
                .map(event -> switch (command.outcome() == null ? "created" : command.outcome()) {
                    case "conflict" -> throw new Conflict("refused after writing");
                    case "accepted" -> Response.status(202).entity(Map.of("event_id", event.id.toString())).build();
                    case "not-found" -> Response.status(404).build();
                    default -> Response.status(201).entity(Map.of("event_id", event.id.toString(), "marker", command.marker())).build();
                }));
    }
}
