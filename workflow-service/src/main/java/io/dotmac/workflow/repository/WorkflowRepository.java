package io.dotmac.workflow.repository;

import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.InvalidDefinitionException;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Stored workflow definitions. A stored version never changes, so the parsed definition of each is
 * cached by id: executions resume with the version they started with, at no cost per step.
 */
@ApplicationScoped
public class WorkflowRepository {

    private static final Logger LOG = Logger.getLogger(WorkflowRepository.class);

    private static final String COLUMNS = "id, tenant_id, definition::text";

    // Semantic versions compare by their numbers, not as text (1.10.0 is newer than 1.9.0).
    private static final String FIND_ACTIVE = "SELECT " + COLUMNS + """
             FROM workflows
            WHERE name = $1 AND is_active AND (tenant_id IS NULL OR tenant_id = $2)
            ORDER BY tenant_id NULLS LAST, string_to_array(version, '.')::int[] DESC
            LIMIT 1""";

    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM workflows WHERE id = $1";

    private static final String INSERT_BUILTIN = """
            INSERT INTO workflows (name, version, description, definition, tags, builtin)
            VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, true)
            ON CONFLICT ((coalesce(tenant_id, '')), name, version) DO NOTHING""";

    private static final String INSERT = """
            INSERT INTO workflows (name, version, description, definition, tags, tenant_id)
            VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6)
            RETURNING id""";

    private static final String VERSION_COLUMNS =
            "id, name, version, description, is_active, tags::text, builtin, tenant_id, created_at, definition::text";
    private static final String VISIBLE = "(tenant_id IS NULL OR tenant_id = $1)";
    private static final String NEWEST_FIRST = "string_to_array(version, '.')::int[] DESC";

    private static final String LIST_ALL = "SELECT " + VERSION_COLUMNS + " FROM workflows WHERE " + VISIBLE
            + " ORDER BY name, tenant_id NULLS LAST, " + NEWEST_FIRST;

    private static final String LIST_NAME = "SELECT " + VERSION_COLUMNS + " FROM workflows WHERE " + VISIBLE
            + " AND name = $2 ORDER BY tenant_id NULLS LAST, " + NEWEST_FIRST;

    // What runs for each name: the tenant's own newest active version, else the built-in one.
    private static final String LIST_ACTIVE = "SELECT DISTINCT ON (name) " + VERSION_COLUMNS + " FROM workflows WHERE "
            + VISIBLE + " AND is_active ORDER BY name, tenant_id NULLS LAST, " + NEWEST_FIRST;

    // Without a version, what runs (as LIST_ACTIVE) comes first: a tenant's own version it deactivated
    // is not the one that runs when the built-in does.
    private static final String FIND_VERSION = "SELECT " + VERSION_COLUMNS + " FROM workflows WHERE " + VISIBLE
            + " AND name = $2 AND ($3::text IS NULL OR version = $3) ORDER BY ($3::text IS NULL AND is_active) DESC, "
            + "tenant_id NULLS LAST, is_active DESC, " + NEWEST_FIRST + " LIMIT 1";

    // Activating a version makes it the one that runs: the tenant's other versions of the name stop.
    private static final String ACTIVATE = """
            UPDATE workflows SET is_active = (version = $3), updated_at = now()
             WHERE tenant_id = $1 AND name = $2 AND (version = $3 OR is_active)
               AND EXISTS (SELECT 1 FROM workflows WHERE tenant_id = $1 AND name = $2 AND version = $3)""";

    private static final String DEACTIVATE = """
            UPDATE workflows SET is_active = false, updated_at = now() WHERE tenant_id = $1 AND name = $2 AND version = $3""";

    // Per name the version that runs for the tenant, kept if it declares triggers (the caller picks the event).
    private static final String RUNNING_VERSIONS = "SELECT id, tenant_id, definition FROM (SELECT DISTINCT ON (name) "
            + COLUMNS + ", definition ? 'triggers' AS triggered FROM workflows WHERE " + VISIBLE
            + " AND is_active ORDER BY name, tenant_id NULLS LAST, " + NEWEST_FIRST + ") running WHERE triggered";

    // Per tenant and name the version that runs, if it has a schedule; built-ins have no tenant to run for.
    private static final String SCHEDULED = "SELECT id, tenant_id, definition, created_at FROM (SELECT DISTINCT ON (tenant_id, name) "
            + COLUMNS + ", created_at, definition ? 'schedule' AS scheduled FROM workflows WHERE tenant_id IS NOT NULL"
            + " AND is_active ORDER BY tenant_id, name, " + NEWEST_FIRST + ") running WHERE scheduled";

    // The names of one tenant, but one, whose running version has a schedule (as SCHEDULED finds them).
    private static final String COUNT_SCHEDULED = "SELECT count(*) FROM (SELECT DISTINCT ON (name) definition ? 'schedule'"
            + " AS scheduled FROM workflows WHERE tenant_id = $1 AND name <> $2 AND is_active ORDER BY name, " + NEWEST_FIRST
            + ") running WHERE scheduled";

    private final Pool pool;
    private final DefinitionParser parser;
    private final Map<Long, StoredWorkflow> byId = new ConcurrentHashMap<>();

    public WorkflowRepository(Pool pool, DefinitionParser parser) {
        this.pool = pool;
        this.parser = parser;
    }

    /** The newest active version of a workflow that the tenant may run: its own, else a built-in. */
    public Uni<Optional<StoredWorkflow>> findActive(String name, String tenantId) {
        return pool.preparedQuery(FIND_ACTIVE).execute(Tuple.of(name, tenantId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(cache(rows.iterator().next())));
    }

    public Uni<StoredWorkflow> findById(long id) {
        StoredWorkflow cached = byId.get(id);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id)).map(rows -> cache(rows.iterator().next()));
    }

    /** Stores a built-in definition unless that name and version are there already; emits whether it was new. */
    public Uni<Boolean> insertBuiltinIfAbsent(WorkflowDefinition definition, String json) {
        return pool.preparedQuery(INSERT_BUILTIN)
                .execute(Tuple.of(definition.name(), definition.version(), definition.description(), json,
                        JsonCodec.write(definition.tags())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Stores a new version of a tenant's workflow (validated by the caller); emits its id. */
    public Uni<Long> insert(WorkflowDefinition definition, String json, String tenantId) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(definition.name(), definition.version(), definition.description(), json,
                        JsonCodec.write(definition.tags()), tenantId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The versions a tenant sees (its own and the built-ins): all of them, or the one that runs per name. */
    public Uni<List<WorkflowVersion>> list(String tenantId, boolean allVersions) {
        return pool.preparedQuery(allVersions ? LIST_ALL : LIST_ACTIVE).execute(Tuple.of(tenantId)).map(rows -> {
            List<WorkflowVersion> versions = new ArrayList<>();
            rows.forEach(row -> versions.add(version(row)));
            return versions;
        });
    }

    /** Every version of one workflow that the tenant sees: its own, newest first, then the built-ins. */
    public Uni<List<WorkflowVersion>> versions(String tenantId, String name) {
        return pool.preparedQuery(LIST_NAME).execute(Tuple.of(tenantId, name)).map(rows -> {
            List<WorkflowVersion> versions = new ArrayList<>();
            rows.forEach(row -> versions.add(version(row)));
            return versions;
        });
    }

    /** The workflows that an event starts for a tenant: the running version of each name, if it declares a trigger for it. */
    public Uni<List<StoredWorkflow>> findTriggeredBy(String event, String tenantId) {
        return pool.preparedQuery(RUNNING_VERSIONS).execute(Tuple.of(tenantId)).map(rows -> {
            List<StoredWorkflow> triggered = new ArrayList<>();
            for (Row row : rows) {
                StoredWorkflow workflow;
                try {
                    workflow = cache(row);
                } catch (InvalidDefinitionException e) {
                    // A stored version that this engine no longer accepts must not hold up the events of all the others.
                    LOG.errorf("stored workflow %d is not valid any more and is not triggered: %s", row.getLong(0), e.getMessage());
                    continue;
                }
                if (workflow.definition().trigger(event).isPresent()) {
                    triggered.add(workflow);
                }
            }
            return triggered;
        });
    }

    /** A scheduled workflow version, and when it was stored (it is not due before). */
    public record Scheduled(StoredWorkflow workflow, java.time.Instant storedAt) {
    }

    /** Every tenant's scheduled workflows: for each tenant and name, the version that runs. */
    public Uni<List<Scheduled>> findScheduled() {
        return pool.query(SCHEDULED).execute().map(rows -> {
            List<Scheduled> scheduled = new ArrayList<>();
            for (Row row : rows) {
                try {
                    scheduled.add(new Scheduled(cache(row), row.getOffsetDateTime(3).toInstant()));
                } catch (InvalidDefinitionException e) {
                    LOG.errorf("stored workflow %d is not valid any more and is not scheduled: %s", row.getLong(0), e.getMessage());
                }
            }
            return scheduled;
        });
    }

    /** How many of the tenant's workflows other than {@code name} run on a schedule. */
    public Uni<Long> countScheduled(String tenantId, String name) {
        return pool.preparedQuery(COUNT_SCHEDULED).execute(Tuple.of(tenantId, name)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** A version the tenant sees; without {@code version}, the one that runs (or else the newest). */
    public Uni<Optional<WorkflowVersion>> find(String tenantId, String name, String version) {
        return pool.preparedQuery(FIND_VERSION).execute(Tuple.of(tenantId, name, version))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(version(rows.iterator().next())));
    }

    /** Emits whether the tenant owns that version (built-ins are shared and never change). */
    public Uni<Boolean> setActive(String tenantId, String name, String version, boolean active) {
        // One change of a tenant's workflow at a time, or two activations could leave two versions active.
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))")
                .execute(Tuple.of(tenantId, name))
                .chain(() -> conn.preparedQuery(active ? ACTIVATE : DEACTIVATE).execute(Tuple.of(tenantId, name, version)))
                .map(rows -> rows.rowCount() > 0));
    }

    private static WorkflowVersion version(Row row) {
        return new WorkflowVersion(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4),
                row.getString(5), row.getBoolean(6), row.getString(7), row.getOffsetDateTime(8), row.getString(9));
    }

    private StoredWorkflow cache(Row row) {
        long id = row.getLong(0);
        return byId.computeIfAbsent(id, key -> new StoredWorkflow(id, row.getString(1), parser.parse(JsonCodec.readTree(row.getString(2)))));
    }
}
