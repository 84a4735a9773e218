package io.dotmac.workflow.inbox;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dotmac.common.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** One test tenant's view of the engine over its API: its own versions of built-ins, its executions. */
record TenantWorkflows(String tenant) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Publishes the built-in {@code name} as this tenant's own version, with the waits named shortened
     * to the seconds given (what a tenant does for another grace or retention): what then runs is the
     * built-in's logic, in seconds instead of days.
     */
    void publishBuiltin(String name, Map<String, Integer> waits) {
        ObjectNode definition;
        try (InputStream in = TenantWorkflows.class.getResourceAsStream("/workflows/" + name + ".json")) {
            definition = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String[] version = definition.get("version").asText().split("\\.");
        definition.put("version", version[0] + "." + version[1] + "." + (Integer.parseInt(version[2]) + 1));
        for (JsonNode step : definition.get("steps")) {
            Integer seconds = waits.get(step.get("name").asText());
            if (seconds != null) {
                ((ObjectNode) step).put("timeout_seconds", seconds);
            }
        }
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body(definition.toString())
                .when().post("/api/v1/workflows").then().statusCode(201);
    }

    List<String> executions(String workflow) {
        return given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions?workflow_name=" + workflow)
                .then().statusCode(200).extract().path("items.id");
    }

    JsonPath execution(String id) {
        return given().auth().oauth2(TestTokens.token(tenant, "reader")).when().get("/api/v1/workflows/executions/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    /** The step the execution waits at, or null. */
    String waitingAt(String id) {
        return execution(id).getString("steps.find { it.status == 'waiting' }.step_name");
    }
}
