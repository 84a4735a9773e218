package io.dotmac.workflow.rest;

import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.workflow.service.StatsService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's overview: the caller's tenant's funnel, executions, steps, waits and events over a
 * range ({@code range} 1h, 24h (the default), 7d or 30d), from PostgreSQL, not Prometheus, which
 * knows nothing of tenants.
 */
@Path("/api/v1/workflows/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stats")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
public class StatsResource {

    static final int MAX_LIMIT = 100;

    private final StatsService stats;
    private final CurrentTenant tenant;

    StatsResource(StatsService stats, CurrentTenant tenant) {
        this.stats = stats;
        this.tenant = tenant;
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Journeys that reached each stage, lead → quote → accepted → paid → licensed → active, over the "
            + "range: the count, the conversion from the previous stage and the median time from it; then subscriptions "
            + "renewed, past_due (invoices dunned), suspended and churned, counted (400 for another range)")
    public Uni<Stats.Funnel> funnel(@QueryParam("range") String range) {
        return stats.funnel(tenant.id(), range);
    }

    @GET
    @Path("/executions")
    @Operation(summary = "Executions started, completed, failed and cancelled per workflow over the range, in bins "
            + "(5 minutes for 1h, an hour for 24h, 6 hours for 7d, a day for 30d), and how many wait now")
    public Uni<Stats.Executions> executions(@QueryParam("range") String range) {
        return stats.executions(tenant.id(), range);
    }

    @GET
    @Path("/steps")
    @Operation(summary = "Steps that ended over the range per workflow and step: runs, failures, retries, p50 and p95 "
            + "durations; slowest first (sort=slowest, by p95) or most failing (sort=failing); at most 50")
    public Uni<Stats.Steps> steps(@QueryParam("range") String range, @QueryParam("sort") String sort) {
        return stats.steps(tenant.id(), range, sort);
    }

    @GET
    @Path("/waiting")
    @Operation(summary = "Executions waiting now: how many, the longest waiting and those past their deadline (a "
            + "reminder's wait_before_ timer excepted), each up to limit (1 to 100, default 10)")
    public Uni<Stats.Waiting> waiting(@QueryParam("limit") String limit) {
        return stats.waiting(tenant.id(), limit(limit));
    }

    @GET
    @Path("/events")
    @Operation(summary = "Events over the range per topic: how many were taken in, how many were sent to the dead-letter "
            + "topic (those that named the tenant), how many are deferred now (the tenant over its rate), and p50 and p95 of "
            + "their time from their source to the inbox")
    public Uni<Stats.Events> events(@QueryParam("range") String range) {
        return stats.events(tenant.id(), range);
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 10;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // the same answer as out of bounds
        }
        throw new InvalidRequest("limit: a whole number from 1 to " + MAX_LIMIT);
    }
}
