package io.dotmac.common.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Refusals from PostgreSQL that reach the mapper through Hibernate are 4xx problem+json, not 500s. */
@QuarkusTest
class DatabaseProblemTest {

    private final String token = TestTokens.token("tenant-a", "operator");

    @Test
    void aUniqueViolationIsAConflict() {
        given().auth().oauth2(token).post("/test/database-problems/duplicate")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith("It exists already"));
    }

    @Test
    void aValueThePostgreSqlRefusesIsABadRequest() {
        given().auth().oauth2(token).post("/test/database-problems/nul")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("A value in the request cannot be stored"));
    }
}
