package io.dotmac.common.security;

import static io.restassured.RestAssured.given;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The {@code service} role comes only from the engine's issuer and key, and the engine's tokens
 * carry nothing else: whoever holds one key cannot pass for the other. Only access tokens count.
 */
@QuarkusTest
class TokenRolesTest {

    @Test
    void theEnginesTokenCallsWhereTheEngineMay() {
        as(TestTokens.engine("tenant-a")).get("/test/roles/engine").then().statusCode(200);
    }

    @Test
    void aPersonsTokenNamingServiceIsNotTheEngine() {
        as(TestTokens.token("tenant-a", Roles.SERVICE, Roles.ADMIN)).get("/test/roles/engine")
                .then().statusCode(403).contentType("application/problem+json");
        // What else the token names still counts.
        as(TestTokens.token("tenant-a", Roles.SERVICE, Roles.ADMIN)).get("/test/roles/admin").then().statusCode(200);
    }

    @Test
    void anEngineTokenNamingPeoplesRolesGetsNoneOfThem() {
        as(TestTokens.engine("tenant-a", Roles.ADMIN, Roles.SERVICE)).get("/test/roles/admin")
                .then().statusCode(403).contentType("application/problem+json");
        as(TestTokens.engine("tenant-a", Roles.ADMIN, Roles.SERVICE)).get("/test/roles/engine").then().statusCode(200);
    }

    @Test
    void onlyAccessTokensCount() {
        as(TestTokens.ofType("ID", "tenant-a", Roles.ADMIN)).get("/test/roles/admin")
                .then().statusCode(403).contentType("application/problem+json");
        as(TestTokens.ofType("Bearer", "tenant-a", Roles.ADMIN)).get("/test/roles/admin").then().statusCode(200);
    }

    @Test
    void aTokenUnderTheEnginesIssuerSignedWithPeoplesKeyIsRefused() {
        as(TestTokens.signedAsEngineWithPeoplesKey("tenant-a")).get("/test/roles/engine")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenThatNamesNoKnownIssuerIsRefused() {
        as("e30.eyJpc3MiOjV9.e30").get("/test/roles/engine").then().statusCode(401).contentType("application/problem+json");
        as("not a token").get("/test/roles/admin").then().statusCode(401).contentType("application/problem+json");
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
