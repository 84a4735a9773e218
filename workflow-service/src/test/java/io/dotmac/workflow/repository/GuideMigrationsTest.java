package io.dotmac.workflow.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.DslReferenceTest;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.expression.ExpressionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V9 and V10 over rows written before them, in a schema of their own on the test database: the
 * statuses of executions mid-flight become the guide's, the indexes and checks follow, and a stored
 * definition written under the old conventions reads back meaning what it meant.
 */
class GuideMigrationsTest {

    private static final String URL = "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432")
            + "/workflow_test";
    private static final String USER = env("DB_USER", "controlplane");
    private static final String PASSWORD = env("DB_PASSWORD", "controlplane");

    /** Before V9: no result (read back under the step's name) and a process_payment that waits by itself. */
    private static final String OLD_DEFINITION = """
            {"name": "old_style", "version": "1.0.0", "inputs": ["lead_id", "quote_id"], "steps": [
              {"name": "qualify", "type": "service_call", "service": "crm_service", "method": "qualify_lead",
               "params": {"lead_id": "${lead_id}"}},
              {"name": "gate", "type": "condition", "condition": "qualify.status == 'qualified'"},
              {"name": "pay", "type": "service_call", "service": "billing_service", "method": "process_payment",
               "params": {"quote_id": "${quote_id}"}, "result": "payment"},
              {"name": "wait_for_payment", "type": "condition", "condition": "payment.status != 'pending'",
               "timeout_seconds": 600,
               "refresh": {"service": "billing_service", "method": "get_payment", "params": {"payment_id": "${payment.id}"},
                           "result": "payment"}}]}""";

    private final String schema = "migrations_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(URL, USER, PASSWORD).schemas(schema).createSchemas(true)
                .locations("classpath:db/migration").target(target).load();
    }

    private Connection connection() throws SQLException {
        Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    @AfterEach
    void dropTheSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void rowsWrittenBeforeTheGuidesConventionsKeepTheirMeaning() throws Exception {
        flyway("8").migrate();
        UUID waiting = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO workflows (id, name, version, definition) VALUES (1, 'old_style', '1.0.0', '"
                    + OLD_DEFINITION.replace("'", "''") + "'::jsonb)");
            statement.execute("INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context,"
                    + " wait_event, wait_key, next_wake_at) VALUES ('" + waiting + "', 1, 'old_style', '1.0.0', 'WAITING', '{}',"
                    + " 'billing.payment.updated', 'q-1', now() + interval '1 hour')");
            statement.execute("INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context)"
                    + " VALUES ('" + failed + "', 1, 'old_style', '1.0.0', 'FAILED', '{}')");
            statement.execute("INSERT INTO workflow_steps (execution_id, step_name, step_type, sequence_number, status, duration_ms)"
                    + " VALUES ('" + waiting + "', 'qualify', 'service_call', 0, 'COMPLETED', 1500),"
                    + " ('" + waiting + "', 'wait_for_payment', 'condition', 3, 'WAITING', NULL)");
        }

        flyway("latest").migrate();

        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            assertEquals(List.of(failed + " failed", waiting + " waiting"),
                    rows(statement, "SELECT id || ' ' || status FROM workflow_executions ORDER BY status"));
            assertEquals(List.of("qualify completed 1.500", "wait_for_payment waiting -"),
                    rows(statement, "SELECT step_name || ' ' || status || ' ' || coalesce(duration_seconds::text, '-')"
                            + " FROM workflow_steps ORDER BY sequence_number"));
            // The claim's and the wake-up's indexes name the new spelling, so their queries still use them.
            List<String> indexes = rows(statement, "SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema
                    + "' AND indexname IN ('workflow_executions_tenant_due', 'workflow_executions_waiting_on') ORDER BY indexname");
            assertEquals(2, indexes.size(), indexes.toString());
            assertTrue(indexes.get(0).contains("'pending'::text") && indexes.get(1).contains("'waiting'::text"), indexes.toString());
            assertThrows(SQLException.class, () -> statement.execute("UPDATE workflow_executions SET status = 'RUNNING'"),
                    "the old spelling is refused");

            WorkflowDefinition migrated = parser().parse(JsonCodec.readTree(
                    rows(statement, "SELECT definition::text FROM workflows WHERE id = 1").get(0)));
            WorkflowDefinition asItWas = parser().parse(JsonCodec.readTree(OLD_DEFINITION.replace(
                    "\"params\": {\"lead_id\": \"${lead_id}\"}}", "\"params\": {\"lead_id\": \"${lead_id}\"}, \"result\": \"qualify\"}")
                    .replace("\"method\": \"process_payment\",", "\"method\": \"process_payment\", \"await_outcome\": false,")));
            assertEquals(asItWas, migrated, "read back as it was meant: qualify's answer under qualify, the payment waited for once");
            assertEquals(List.of("qualify", "gate", "pay", "wait_for_payment"),
                    migrated.steps().stream().map(StepDefinition::name).toList());
        }
    }

    private static DefinitionParser parser() throws ReflectiveOperationException {
        return new DefinitionParser(DslReferenceTest.registry(), new ExpressionEngine());
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
