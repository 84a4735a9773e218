package io.dotmac.notification.notification.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.rest.Problem;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, a welcome email accepted (202) and a refusal's problem
 * (4xx), as well as a read; the email, rendered from its templates, reaches the SMTP server.
 * sales-service and billing-service (an active, paid order) and the SMTP server are the ones
 * WelcomeEmailApiTest uses.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class NotificationServiceIT {

    final String tenant = "it-" + UUID.randomUUID();
    final String engine = TestTokens.engine(tenant);
    final String reader = TestTokens.token(tenant, "reader");

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void sendsAWelcomeReadsItAndRefusesWithAProblem() {
        String email = WelcomeEmailApiTest.email();
        String slug = WelcomeEmailApiTest.slug();
        String id = WelcomeEmailApiTest.send(engine, UUID.randomUUID() + ":send_welcome", WelcomeEmailApiTest.ordered(email, slug, "Jane Doe"))
                .statusCode(202).body("kind", equalTo("welcome_email")).body("recipient", equalTo(email))
                .body("status", equalTo("sent")).body("tenant_url", equalTo("https://" + slug + ".tenants.dotmac.local"))
                .extract().path("id");
        assertEquals(1, SmtpServer.messagesTo(email).size());
        given().auth().oauth2(reader).when().get("/api/v1/notifications/" + id).then()
                .statusCode(200).body("id", equalTo(id)).body("status", equalTo("sent"));

        WelcomeEmailApiTest.send(engine, null, WelcomeEmailApiTest.welcome("not-an-address", slug, null))
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400))
                .body("detail", containsString("customer_email"));
    }
}
