package io.dotmac.crm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The paths the workflow-service's registry calls are documented, under the names it uses. */
@QuarkusTest
class OpenApiTest {

    @Test
    void theApiIsDocumented() {
        given().auth().oauth2(TestTokens.token("tenant-a", "reader")).accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey("/api/v1/crm/leads"))
                .body("paths", hasKey("/api/v1/crm/leads/{id}"))
                .body("paths", hasKey("/api/v1/crm/leads/{id}/qualify"))
                .body("paths", hasKey("/api/v1/crm/leads/{id}/quotes"))
                .body("paths", hasKey("/api/v1/crm/quotes/{id}"))
                .body("paths", hasKey("/api/v1/crm/quotes/{id}/send"))
                .body("paths", hasKey("/api/v1/crm/quotes/{id}/accept"))
                .body("paths", hasKey("/api/v1/crm/quotes/{id}/reject"))
                .body("paths", hasKey("/api/v1/crm/quotes/from-cart"))
                .body("paths", hasKey("/api/v1/crm/products"))
                .body("paths.'/api/v1/crm/quotes/{id}/accept'.post.summary", org.hamcrest.Matchers.containsString("Accept"));
    }
}
