package io.dotmac.workflow.engine;

import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.WorkflowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the engine tests share: storing a definition under a fresh name, starting it, and reading
 * executions and steps back from PostgreSQL the way an operator would (SQL on the tables).
 */
@ApplicationScoped
public class EngineTestSupport {

    private final DefinitionParser parser;
    private final WorkflowRepository workflows;
    private final WorkflowEngine engine;
    private final AgroalDataSource db;

    EngineTestSupport(DefinitionParser parser, WorkflowRepository workflows, WorkflowEngine engine, AgroalDataSource db) {
        this.parser = parser;
        this.workflows = workflows;
        this.engine = engine;
        this.db = db;
    }

    /** Stores a definition whose steps are the given JSON array, under a name no other test uses. */
    String define(String inputsJson, String stepsJson) {
        return define(null, inputsJson, stepsJson);
    }

    /** The same, as the tenant's own workflow. */
    String define(String tenant, String inputsJson, String stepsJson) {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String json = "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"inputs\":" + inputsJson + ",\"steps\":" + stepsJson + "}";
        WorkflowDefinition definition = parser.parse(JsonCodec.readTree(json));
        workflows.insert(definition, json, tenant).await().atMost(Duration.ofSeconds(10));
        return name;
    }

    UUID start(String workflow, Map<String, Object> context) {
        return start(null, workflow, context);
    }

    UUID start(String tenant, String workflow, Map<String, Object> context) {
        return engine.start(new WorkflowEngine.StartRequest(workflow, context, tenant, "manual", "test", null, null))
                .await().atMost(Duration.ofSeconds(10)).id();
    }

    Map<String, Object> awaitStatus(UUID id, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> wanted.contains(execution(id).get("status")));
        return execution(id);
    }

    Map<String, Object> awaitTerminal(UUID id) {
        return awaitStatus(id, Arrays.stream(ExecutionStatus.values()).filter(ExecutionStatus::isTerminal)
                .map(ExecutionStatus::wire).toArray(String[]::new));
    }

    Map<String, Object> execution(UUID id) {
        List<Map<String, Object>> rows = query("""
                SELECT status, error_message, context::text AS context, result::text AS result, current_step,
                       run_number, lease_owner, next_wake_at, completed_at
                  FROM workflow_executions WHERE id = ?""", id);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    List<Map<String, Object>> steps(UUID id) {
        return query("""
                SELECT run_number, sequence_number, step_name, step_type, status, input_data::text AS input,
                       output_data::text AS output, error_message, retry_count, started_at, completed_at, duration_ms,
                       wait_until
                  FROM workflow_steps WHERE execution_id = ? ORDER BY run_number, sequence_number""", id);
    }

    List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object json(Object text) {
        return text == null ? null : JsonCodec.read(text.toString());
    }
}
