package io.dotmac.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.common.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may call what, over every operation of every service's OpenAPI document, checked against the
 * README's table ("Who may call what"): no token, a forged signature, an expired token and another
 * audience are 401; each role is let through where the table allows it and 403 elsewhere; the
 * {@code service} role counts only in the engine's tokens (its own key and issuer), which count for
 * nothing else; another tenant finds nothing. An operation without a row, or a row without an operation, fails. The
 * requests carry unknown ids and empty bodies, so an allowed one is a 4xx about its input, never a
 * change, and never a 5xx.
 */
@ExtendWith(SuiteExtension.class)
class AuthorizationMatrixIT {

    private static final Path README = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize()
            .resolve("README.md");
    private static final String SERVICE = "service";
    private static final String[] PEOPLE = {"reader", "operator", "admin"};
    private static final String UNAUTHENTICATED = "(unauthenticated)";
    private static final String NOBODY = "(no role)";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    /** A row of the table: {@code | crm | `POST` | `/api/v1/crm/leads` | operator, admin |}. */
    private static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| `(\\w+)` \\| `([^`]+)` \\| ([a-z, ]+) \\|$");
    private static final Map<Service, String> NAMES = Map.of(Service.WORKFLOW, "workflow", Service.CRM, "crm",
            Service.SALES, "sales", Service.BILLING, "billing", Service.LICENSING, "licensing", Service.NOTIFICATION, "notification");

    @Test
    void everyOperationOfEveryServiceAnswersEachCallerAsTheReadmeSays(Suite suite) throws IOException {
        Map<String, Set<String>> table = table();
        Map<String, Service> operations = operations(suite);
        Set<String> withoutRow = new TreeSet<>(operations.keySet());
        withoutRow.removeAll(table.keySet());
        Set<String> withoutOperation = new TreeSet<>(table.keySet());
        withoutOperation.removeAll(operations.keySet());
        assertTrue(withoutRow.isEmpty() && withoutOperation.isEmpty(), "the README's \"Who may call what\" has no row for "
                + withoutRow + ", and rows for no operation of the services' OpenAPI documents " + withoutOperation);

        String tenant = suite.newTenant("authz");
        List<String> wrong = new ArrayList<>();
        operations.forEach((operation, service) -> {
            Set<String> allowed = table.get(operation);
            boolean open = allowed.contains("public");
            // Each caller with the role it must act as: null for one refused as unauthenticated (401),
            // NOBODY for one authenticated with no role that counts (403 wherever a role is needed).
            Map<String, Map.Entry<String, String>> callers = new LinkedHashMap<>();
            callers.put("no token", Map.entry("", UNAUTHENTICATED));
            callers.put("a forged signature", Map.entry(TestTokens.wronglySigned(tenant, PEOPLE), UNAUTHENTICATED));
            callers.put("an expired token", Map.entry(TestTokens.expired(tenant, PEOPLE), UNAUTHENTICATED));
            callers.put("another audience", Map.entry(TestTokens.otherAudience(tenant, PEOPLE), UNAUTHENTICATED));
            callers.put("a person's token naming service", Map.entry(TestTokens.token(tenant, SERVICE), NOBODY));
            callers.put("the engine's key naming people's roles", Map.entry(TestTokens.engine(tenant, PEOPLE), NOBODY));
            callers.put("the engine's key naming admin and service",
                    Map.entry(TestTokens.engine(tenant, "admin", SERVICE), SERVICE));
            for (String role : PEOPLE) {
                callers.put(role, Map.entry(TestTokens.token(tenant, role), role));
            }
            callers.put(SERVICE, Map.entry(TestTokens.engine(tenant), SERVICE));
            callers.forEach((caller, tokenAndRole) -> {
                String token = tokenAndRole.getKey().isEmpty() ? null : tokenAndRole.getKey();
                String role = tokenAndRole.getValue();
                Response answer = call(suite, service, operation, token);
                int status = answer.statusCode();
                String expected;
                boolean ok;
                if (open || allowed.contains(role)) {
                    expected = "neither 401 nor 403";
                    ok = status != 401 && status != 403;
                } else if (!role.equals(UNAUTHENTICATED)) {
                    expected = "403";
                    ok = status == 403;
                } else {
                    expected = "401";
                    ok = status == 401;
                }
                if (!ok || status >= 500) {
                    wrong.add(operation + " with " + caller + ": " + status + ", expected " + expected + "; " + answer.asString());
                } else if (status >= 400 && !String.valueOf(answer.contentType()).startsWith("application/problem+json")) {
                    wrong.add(operation + " with " + caller + ": " + status + " as " + answer.contentType() + ", not problem+json");
                }
            });
        });
        assertTrue(wrong.isEmpty(), wrong.size() + " answers differ from the table:\n" + String.join("\n", wrong));
    }

    @Test
    void anotherTenantFindsNothingOfATenantsLead(Suite suite) {
        String tenant = suite.newTenant("authz-own");
        String other = suite.newTenant("authz-other");
        Api own = new Api(suite, TestTokens.token(tenant, "operator"));
        String leadId = new Onboarding(own, new Workflows(suite, own)).create("authz").leadId();
        own.to(Service.CRM).get("/api/v1/crm/leads/{id}", leadId).then().statusCode(200);

        Api stranger = new Api(suite, TestTokens.token(other, PEOPLE));
        for (String path : List.of("/api/v1/crm/leads/{id}", "/api/v1/crm/leads/{id}/quotes")) {
            stranger.to(Service.CRM).get(path, leadId).then().statusCode(404);
        }
        for (String path : List.of("/api/v1/crm/leads/{id}/qualify", "/api/v1/crm/leads/{id}/quotes")) {
            stranger.to(Service.CRM).post(path, leadId).then().statusCode(404);
        }
        own.to(Service.CRM).get("/api/v1/crm/leads/{id}", leadId).then().statusCode(200)
                .body("status", equalTo("new"));
    }

    // "crm GET /api/v1/crm/leads/{id}" -> the roles of its row.
    private static Map<String, Set<String>> table() throws IOException {
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(README)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String key = row.group(1) + " " + row.group(2) + " " + row.group(3);
                Set<String> roles = Arrays.stream(row.group(4).split(",")).map(String::trim).collect(Collectors.toSet());
                assertTrue(rows.put(key, roles) == null, "two rows for " + key);
            }
        }
        assertTrue(rows.size() > 40, "the README's \"Who may call what\" table was not found: " + rows.size() + " rows");
        return rows;
    }

    // Every operation of every service's OpenAPI document, as in the table.
    private static Map<String, Service> operations(Suite suite) throws IOException {
        Map<String, Service> operations = new LinkedHashMap<>();
        String reader = TestTokens.token(suite.newTenant("authz-openapi"), "reader");
        for (Service service : Service.values()) {
            String json = given().baseUri(suite.url(service)).auth().oauth2(reader).accept("application/json")
                    .get("/q/openapi?format=json").then().statusCode(200).extract().asString();
            JsonNode paths = new ObjectMapper().readTree(json).path("paths");
            for (Map.Entry<String, JsonNode> path : paths.properties()) {
                path.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        operations.put(NAMES.get(service) + " " + method.toUpperCase(Locale.ROOT) + " " + path.getKey(), service);
                    }
                });
            }
        }
        return operations;
    }

    // The operation with unknown ids in its path and an empty body, as this caller.
    private static Response call(Suite suite, Service service, String operation, String token) {
        String[] parts = operation.split(" ", 3);
        String path = parts[2].replaceAll("\\{slug}", "authz-" + UUID.randomUUID().toString().substring(0, 8))
                .replaceAll("\\{name}", "no_such_workflow")
                .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        RequestSpecification request = given().baseUri(suite.url(service)).accept("application/json");
        if (token != null) {
            request.auth().oauth2(token);
        }
        if (!parts[1].equals("GET") && !parts[1].equals("DELETE")) {
            request.contentType("application/json").body("{}");
        }
        return request.request(parts[1], path);
    }
}
