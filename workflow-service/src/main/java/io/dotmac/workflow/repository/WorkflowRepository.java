package io.dotmac.workflow.repository;

import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored workflow definitions. A stored version never changes, so the parsed definition of each is
 * cached by id: executions resume with the version they started with, at no cost per step.
 */
@ApplicationScoped
public class WorkflowRepository {

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

    private StoredWorkflow cache(Row row) {
        long id = row.getLong(0);
        return byId.computeIfAbsent(id, key -> new StoredWorkflow(id, row.getString(1), parser.parse(JsonCodec.readTree(row.getString(2)))));
    }
}
