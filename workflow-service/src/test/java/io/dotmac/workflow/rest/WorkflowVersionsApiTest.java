package io.dotmac.workflow.rest;

import static io.dotmac.workflow.rest.WorkflowApiTest.definition;
import static io.dotmac.workflow.rest.WorkflowApiTest.get;
import static io.dotmac.workflow.rest.WorkflowApiTest.name;
import static io.dotmac.workflow.rest.WorkflowApiTest.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /api/v1/workflows/{name}/versions: every version of one workflow that the tenant sees. */
@QuarkusTest
class WorkflowVersionsApiTest {

    static final String TENANT = "versions-" + UUID.randomUUID().toString().substring(0, 6);
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String READER = TestTokens.token(TENANT, "reader");

    @Test
    void everyVersionNewestFirstWithTheOneThatRuns() {
        String name = name();
        for (String version : new String[] {"1.0.0", "1.10.0", "1.2.0"}) {
            post(ADMIN, "/api/v1/workflows", definition(name, version)).statusCode(201);
        }
        post(ADMIN, "/api/v1/workflows/" + name + "/activate?version=1.2.0", "").statusCode(200);

        get(READER, "/api/v1/workflows/" + name + "/versions").statusCode(200)
                .body("version", equalTo(List.of("1.10.0", "1.2.0", "1.0.0")))
                .body("is_active", equalTo(List.of(false, true, false)))
                .body("name", everyItem(equalTo(name)))
                .body("builtin", everyItem(equalTo(false)))
                .body("[0]", not(org.hamcrest.Matchers.hasKey("definition")));
        // A version's JSON is one call away.
        get(READER, "/api/v1/workflows/" + name + "?version=1.10.0").statusCode(200)
                .body("definition.version", equalTo("1.10.0"));
    }

    @Test
    void builtInVersionsAreListedAsSuch() {
        get(READER, "/api/v1/workflows/lead_to_customer/versions").statusCode(200)
                .body("builtin", hasItem(true)).body("name", everyItem(equalTo("lead_to_customer")));
    }

    @Test
    void anotherTenantsWorkflowHasNoVersionsForYou() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        get(TestTokens.token("elsewhere-" + UUID.randomUUID().toString().substring(0, 6), "reader"),
                "/api/v1/workflows/" + name + "/versions").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(name));
        get(READER, "/api/v1/workflows/" + name() + "/versions").statusCode(404).contentType("application/problem+json");
    }
}
