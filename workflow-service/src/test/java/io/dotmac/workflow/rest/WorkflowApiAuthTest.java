package io.dotmac.workflow.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The auth matrix: every endpoint refuses a missing, expired, wrongly signed or foreign-audience
 * token with 401, and a token whose roles are too weak with 403, each as problem+json.
 */
@QuarkusTest
class WorkflowApiAuthTest {

    private static final String TENANT = "auth-tenant";
    private static final String SOME_ID = UUID.randomUUID().toString();

    /** Method, path, the weakest role allowed, and a role below it (null: none is below). */
    record Endpoint(String method, String path, String allowed, String tooWeak) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("GET", "/api/v1/workflows", "reader", null),
                new Endpoint("GET", "/api/v1/workflows/lead_to_customer", "reader", null),
                new Endpoint("GET", "/api/v1/workflows/lead_to_customer/versions", "reader", null),
                new Endpoint("POST", "/api/v1/workflows", "admin", "operator"),
                new Endpoint("POST", "/api/v1/workflows/auth_matrix/activate?version=1.0.0", "admin", "operator"),
                new Endpoint("POST", "/api/v1/workflows/auth_matrix/deactivate?version=1.0.0", "admin", "operator"),
                new Endpoint("POST", "/api/v1/workflows/execute", "operator", "reader"),
                new Endpoint("GET", "/api/v1/workflows/executions", "reader", null),
                new Endpoint("GET", "/api/v1/workflows/executions?key=quote-1", "reader", null),
                new Endpoint("GET", "/api/v1/workflows/executions/" + SOME_ID, "reader", null),
                new Endpoint("POST", "/api/v1/workflows/executions/" + SOME_ID + "/cancel", "operator", "reader"),
                new Endpoint("POST", "/api/v1/workflows/executions/" + SOME_ID + "/retry", "operator", "reader"));
    }

    private static io.restassured.response.ValidatableResponse call(Endpoint e, String token) {
        RequestSpecification request = given().contentType(ContentType.JSON).body("{}");
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return request.when().request(e.method(), e.path()).then();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void refusesRequestsWithoutAValidToken(Endpoint endpoint) {
        for (String token : new String[] {null, TestTokens.expired(TENANT, "admin"), TestTokens.wronglySigned(TENANT, "admin"),
                TestTokens.otherAudience(TENANT, "admin"), "not-a-jwt"}) {
            call(endpoint, token).statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
        }
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void refusesRolesBelowTheEndpoints(Endpoint endpoint) {
        List<String> tooWeak = endpoint.tooWeak() == null ? List.of() : List.of(endpoint.tooWeak());
        for (String role : tooWeak) {
            call(endpoint, TestTokens.token(TENANT, role)).statusCode(403).contentType("application/problem+json");
        }
        call(endpoint, TestTokens.token(TENANT, "someone")).statusCode(403).contentType("application/problem+json");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void letsTheAllowedRoleThrough(Endpoint endpoint) {
        int status = call(endpoint, TestTokens.token(TENANT, endpoint.allowed())).extract().statusCode();
        // Past auth, the request itself may be wrong (an empty body, an unknown id), never unauthorised.
        org.junit.jupiter.api.Assertions.assertTrue(status != 401 && status != 403 && status < 500,
                endpoint + " answered " + status);
    }

    @org.junit.jupiter.api.Test
    void healthAndMetricsNeedNoTokenButOpenApiDoes() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        for (String path : new String[] {"/q/openapi", "/q/openapi.json", "/q/openapi.yaml"}) {
            given().when().get(path).then().statusCode(401);
        }
        given().auth().oauth2(TestTokens.token(TENANT, "reader")).accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("paths.'/api/v1/workflows/execute'.post.summary", org.hamcrest.Matchers.notNullValue())
                // An execution's data is any JSON value (RawJson), not an object with a `json` property.
                .body("components.schemas.RawJson.properties", org.hamcrest.Matchers.nullValue())
                .body("components.schemas.RawJson.description", org.hamcrest.Matchers.equalTo("any JSON value, as stored"));
    }
}
