package io.dotmac.workflow.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BuiltinWorkflowsTest {

    @Inject
    BuiltinWorkflows builtins;

    @Inject
    WorkflowRepository workflows;

    @Inject
    Pool pool;

    private List<String> stored() {
        List<String> rows = new ArrayList<>();
        pool.query("SELECT name || ' ' || version || ' ' || is_active FROM workflows WHERE builtin ORDER BY name")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(r -> rows.add(r.getString(0)));
        return rows;
    }

    @Test
    void builtInsAreSeededOnceAndValid() {
        List<String> expected = List.of("lead_to_customer 1.0.0 true", "payment_received 1.0.0 true", "quote_accepted 1.0.0 true");
        assertEquals(expected, stored());

        builtins.seed(null);

        assertEquals(expected, stored(), "seeding again (a restart, a second instance) adds nothing");
    }

    @Test
    void leadToCustomerWaitsForAcceptanceAndPaymentBeforeIssuingLicenses() {
        var definition = workflows.findActive("lead_to_customer", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();

        List<String> steps = definition.steps().stream().map(s -> s.name()).toList();
        assertTrue(steps.indexOf("wait_for_quote_acceptance") < steps.indexOf("process_payment"));
        assertTrue(steps.indexOf("wait_for_payment") < steps.indexOf("issue_license"));
        assertEquals(Duration.ofDays(7), definition.step("wait_for_quote_acceptance").orElseThrow().timeout());
        assertEquals(false, definition.step("send_welcome").orElseThrow().critical());
        assertEquals("quote", definition.step("wait_for_quote_acceptance").orElseThrow().refresh().resultKey());
    }
}
