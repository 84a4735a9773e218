package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's third invariant scenario: notification-service is down when an execution reaches its
 * welcome email; the step is retried until the service is back, the execution completes and the
 * customer gets exactly one email. On the way, a non-critical step that fails (an add-on license for
 * a product the quote did not sell, which licensing-service rejects with 422) is recorded {@code failed} and
 * the execution goes on past it.
 *
 * <p>The tenant runs its own version of {@code lead_to_customer}: the built-in as it is (whose
 * service calls retry for about five minutes, which the outage is waited out by) with the add-on
 * step after {@code issue_license}.
 */
@ExtendWith(SuiteExtension.class)
class DownstreamOutageIT {

    private static final String L2C = "lead_to_customer";
    private static final String ADDON = "issue_addon_license";
    private static final String UNKNOWN_PRODUCT = "e2e-no-such-product";

    @Test
    void aStepWaitsOutItsServiceAndANonCriticalFailureIsPassed(Suite suite) {
        Instant began = Instant.now();
        String tenant = suite.newTenant("outage");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);
        ServiceProcess notification = suite.service(Service.NOTIFICATION);

        String version = storeTenantVersion(workflows);
        List<String> steps = new ArrayList<>(LeadToCustomerIT.STEPS);
        steps.add(steps.indexOf("issue_license") + 1, ADDON);

        // "manual": the customer pays once notification-service is down, so the outage meets the welcome email.
        Onboarding.Customer customer = onboarding.awaitQuote(onboarding.start("manual"), Duration.ofSeconds(60));
        onboarding.accept(customer);
        String page = Checkout.link(suite, customer.email(), Duration.ofSeconds(60));
        Instant down;
        Instant up;
        try {
            notification.stop(Duration.ofSeconds(20));
            down = Instant.now();
            Checkout.pay(page);
            JsonPath retrying = workflows.awaitState(customer.executionId(), Duration.ofSeconds(60), "retrying send_welcome",
                    detail -> retries(step(detail, "send_welcome")) > 0);
            assertEquals("running", step(retrying, "send_welcome").get("status"), Workflows.describe(retrying));
            notification.startAndAwaitReady(suite.readyTimeout());
            up = Instant.now();
        } finally {
            if (!notification.isAlive()) {
                // The tests after this one need it.
                notification.startAndAwaitReady(suite.readyTimeout());
            }
        }

        JsonPath done = workflows.awaitStatus(customer.executionId(), Duration.ofSeconds(60), "completed");
        String report = Workflows.describe(done);
        List<Effects.Count> counts = Effects.count(suite, api, List.of(customer));
        System.out.printf("%n[e2e] downstream outage, tenant %s: notification-service down for %d ms, execution completed %d ms"
                        + " after the test began%n  %s%n%s%n", tenant, Duration.between(down, up).toMillis(),
                Duration.between(began, Instant.now()).toMillis(), report.replace("\n", "\n  "), Effects.table(counts));

        assertEquals(version, done.getString("workflow_version"), "the tenant's own version ran");
        List<Map<String, Object>> recorded = done.getList("steps");
        assertEquals(steps, recorded.stream().map(s -> s.get("step_name")).toList(), "the steps, in order:\n" + report);
        Map<String, Object> addon = step(done, ADDON);
        assertAll("the non-critical step that failed:\n" + report,
                () -> assertEquals("failed", addon.get("status")),
                () -> assertTrue(String.valueOf(addon.get("error_message")).contains(UNKNOWN_PRODUCT),
                        "its error names the product licensing-service rejected"),
                () -> assertEquals(0, retries(addon), "a 422 is not retried"));
        for (Map<String, Object> step : recorded) {
            if (!ADDON.equals(step.get("step_name"))) {
                assertEquals("completed", step.get("status"), step.get("step_name") + ":\n" + report);
            }
        }
        Map<String, Object> welcome = step(done, "send_welcome");
        assertTrue(retries(welcome) > 0, "send_welcome was retried while notification-service was down:\n" + report);
        assertNull(welcome.get("error_message"), "a completed step keeps no error");
        Effects.assertExactlyOneEach(counts);
    }

    /**
     * Stores the tenant's copy of the built-in {@code lead_to_customer} (read through the API, so it
     * follows the built-in, retries included) with the non-critical add-on license after
     * {@code issue_license}. Its version.
     */
    @SuppressWarnings("unchecked")
    private static String storeTenantVersion(Workflows workflows) {
        Map<String, Object> builtin = workflows.definition(L2C);
        Map<String, Object> definition = new LinkedHashMap<>(builtin);
        String version = (Integer.parseInt(((String) builtin.get("version")).split("\\.")[0]) + 1) + ".0.0";
        definition.put("version", version);
        definition.put("description", "lead_to_customer for the outage test, with a non-critical add-on license that"
                + " licensing-service rejects");
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) builtin.get("steps")) {
            steps.add(step);
            if ("issue_license".equals(step.get("name"))) {
                steps.add(Map.of("name", ADDON, "type", "service_call", "service", "licensing_service", "method", "issue_license",
                        "params", Map.of("customer_id", "${quote.organization_slug}",
                                "products", List.of(Map.of("product_code", UNKNOWN_PRODUCT, "quantity", 1)),
                                "source_id", "${quote.id}"),
                        "result", "addon_licenses", "critical", false));
            }
        }
        definition.put("steps", steps);
        workflows.store(definition);
        return version;
    }

    private static Map<String, Object> step(JsonPath detail, String name) {
        List<Map<String, Object>> steps = detail.getList("steps");
        return steps.stream().filter(s -> name.equals(s.get("step_name"))).findFirst().orElse(Map.of());
    }

    private static int retries(Map<String, Object> step) {
        return step.get("retry_count") == null ? 0 : ((Number) step.get("retry_count")).intValue();
    }
}
