package io.dotmac.workflow.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.LargeData;
import io.dotmac.workflow.mapping.ExecutionMapper;
import io.dotmac.workflow.service.ExecutionService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Executions of this tenant: list, read with steps, cancel, retry, compensate. */
@Path("/api/v1/workflows/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Executions")
@SecurityRequirement(name = "bearer")
public class ExecutionResource {

    private final ExecutionService executions;
    private final CurrentTenant tenant;
    private final ObjectMapper json;
    private final Optional<String> traceViewer;

    ExecutionResource(ExecutionService executions, CurrentTenant tenant, ObjectMapper json, EngineConfig config) {
        this.executions = executions;
        this.tenant = tenant;
        this.json = json;
        this.traceViewer = config.traceUrl();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Executions, newest first, filtered; limit 1 to 200 (default 50); pass next_cursor back as ?cursor= for the next page",
            description = "key: a business key (a quote, lead, order or payment id, a customer email), matched without case "
                    + "against the execution's top-level context values and the id, *_id, *_number and *email fields of the "
                    + "results in its context")
    public Uni<ExecutionPage> list(@QueryParam("status") String status, @QueryParam("workflow_name") String workflowName,
                                   @QueryParam("trigger_type") String triggerType, @QueryParam("from") String from,
                                   @QueryParam("to") String to, @QueryParam("key") String key,
                                   @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return executions.list(tenant.id(), status, workflowName, triggerType, from, to, key, cursor, limit)
                .map(page -> new ExecutionPage(page.items().stream().map(ExecutionMapper::toSummary).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One execution with its context, result and steps in order (every run of a retried execution)")
    @APIResponse(responseCode = "200", description = "The execution", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExecutionDetail.class)))
    public Uni<Response> get(@PathParam("id") UUID id) {
        // Its steps' data may come to megabytes: written out on a worker thread, the event loop only sends the bytes.
        return executions.get(tenant.id(), id)
                .chain(detail -> LargeData.handle(detail.storedChars(), () -> written(ExecutionMapper.toDetail(detail, traceViewer))))
                .map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
    }

    private byte[] written(ExecutionDetail detail) {
        try {
            return json.writeValueAsBytes(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("execution " + detail.summary().id() + " cannot be written as JSON", e);
        }
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Cancel: a waiting execution at once, a running one before its next step; 409 if finished")
    public Uni<Response> cancel(@PathParam("id") UUID id) {
        return executions.cancel(tenant.id(), id).map(status -> Response.accepted(new Status(id, status.wire())).build());
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Resume a failed execution from its failed step, as a new run; 409 otherwise")
    public Uni<Response> retry(@PathParam("id") UUID id) {
        return executions.retry(tenant.id(), id).map(ignored -> Response.accepted(new Status(id, ExecutionStatus.RUNNING.wire())).build());
    }

    @POST
    @Path("/{id}/compensate")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Undo what a failed execution did: as a new run, the compensate call of each step it completed, "
            + "latest first, each recorded as a step; it ends failed again. 409 unless it is failed with something to undo")
    public Uni<Response> compensate(@PathParam("id") UUID id) {
        return executions.compensate(tenant.id(), id).map(ignored -> Response.accepted(new Status(id, ExecutionStatus.RUNNING.wire())).build());
    }
}
