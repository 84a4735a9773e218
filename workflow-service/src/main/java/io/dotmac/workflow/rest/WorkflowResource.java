package io.dotmac.workflow.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.mapping.ExecutionMapper;
import io.dotmac.workflow.mapping.WorkflowMapper;
import io.dotmac.workflow.service.DefinitionService;
import io.dotmac.workflow.service.ExecutionService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Workflow definitions, and starting executions of them. */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workflows")
@SecurityRequirement(name = "bearer")
public class WorkflowResource {

    private final DefinitionService definitions;
    private final ExecutionService executions;
    private final CurrentTenant tenant;
    private final JsonWebToken token;
    private final Optional<String> traceViewer;

    WorkflowResource(DefinitionService definitions, ExecutionService executions, CurrentTenant tenant, JsonWebToken token,
                     EngineConfig config) {
        this.definitions = definitions;
        this.executions = executions;
        this.tenant = tenant;
        this.token = token;
        this.traceViewer = config.traceUrl();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The workflows this tenant can run (its own and the built-ins): the version that runs for each name, or every version")
    public Uni<List<Workflow>> list(@QueryParam("all_versions") boolean allVersions) {
        return definitions.list(tenant.id(), allVersions).map(versions -> versions.stream().map(WorkflowMapper::toWorkflow).toList());
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "One workflow with its definition: the version that runs, or the one named by ?version=")
    public Uni<WorkflowDetail> get(@PathParam("name") String name, @QueryParam("version") String version) {
        return definitions.get(tenant.id(), name, version).map(WorkflowMapper::toDetail);
    }

    @GET
    @Path("/{name}/versions")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Every version of one workflow: the tenant's own, newest first, then the built-ins; is_active says which may run")
    public Uni<List<Workflow>> versions(@PathParam("name") String name) {
        return definitions.versions(tenant.id(), name).map(versions -> versions.stream().map(WorkflowMapper::toWorkflow).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Store a definition (or a new version of one), validated; 400 names every problem with its step and field")
    public Uni<Response> create(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "a definition", value = """
                    {"name": "welcome_only", "version": "1.0.0", "inputs": ["email", "slug"],
                     "triggers": [{"event": "crm.quote.accepted", "context": {"email": "${data.customer_email}", "slug": "${data.organization_slug}"}}],
                     "steps": [
                       {"name": "welcome", "type": "service_call", "service": "notification_service", "method": "send_welcome_email",
                        "params": {"customer_email": "${email}", "tenant_subdomain": "${slug}"},
                        "retry": {"max_attempts": 5, "backoff_seconds": 2}, "critical": false}]}""")))
                                @NotNull JsonNode definition, UriInfo uri) {
        return definitions.create(tenant.id(), definition).map(stored -> Response
                .created(uri.getAbsolutePathBuilder().path(stored.name()).queryParam("version", stored.version()).build())
                .entity(WorkflowMapper.toDetail(stored)).build());
    }

    @POST
    @Path("/{name}/activate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Make ?version= the version of this tenant's workflow that runs")
    public Uni<WorkflowDetail> activate(@PathParam("name") String name, @QueryParam("version") String version) {
        return definitions.setActive(tenant.id(), name, version, true).map(WorkflowMapper::toDetail);
    }

    @POST
    @Path("/{name}/deactivate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stop ?version= of this tenant's workflow from being started (running executions go on)")
    public Uni<WorkflowDetail> deactivate(@PathParam("name") String name, @QueryParam("version") String version) {
        return definitions.setActive(tenant.id(), name, version, false).map(WorkflowMapper::toDetail);
    }

    @POST
    @Path("/execute")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Start an execution; 202 with its id. The same idempotency_key returns the same execution",
            description = "?wait=30s (500ms, 2m; at most workflow.execute.max-wait, 60s by default): answer 200 with the "
                    + "execution as GET /executions/{id} shows it once it has finished or waits (for a customer, an event), "
                    + "or 202 as without it when the time runs out; the execution goes on either way")
    public Uni<Response> execute(@Valid @NotNull ExecuteRequest request, @QueryParam("wait") String wait, UriInfo uri) {
        Duration waitFor = executions.waitFor(wait);
        return executions.execute(tenant.id(), token.getName(), request.workflowName(), request.context() == null ? Map.of() : request.context(),
                        request.idempotencyKey())
                .chain(started -> executions.settled(tenant.id(), started.id(), waitFor).chain(settled -> {
                    URI location = uri.getBaseUriBuilder().path("/api/v1/workflows/executions/{id}").build(started.id());
                    if (settled.isPresent()) {
                        return Uni.createFrom().item(Response.ok(ExecutionMapper.toDetail(settled.get(), traceViewer)).location(location).build());
                    }
                    return executions.statusOf(tenant.id(), started).map(status -> Response
                            .accepted(new ExecutionAccepted(started.id(), status, started.created())).location(location).build());
                }));
    }
}
