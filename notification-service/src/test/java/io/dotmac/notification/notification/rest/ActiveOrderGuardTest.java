package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A welcome email only for an organization that sales-service (a stub over real HTTP) has an
 * active order for, to the same address, whose quote billing-service (the same stub) reports paid
 * (see {@link PaidOrderGuardTest} for the payment): asked with the caller's token before anything
 * is recorded in the real database or sent to the real SMTP server. Refusals store nothing, not even
 * under the Idempotency-Key, so the engine's retry with the same key sends the email once the
 * order is active.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class ActiveOrderGuardTest {

    static final String PATH = "/api/v1/notifications/welcome-email";
    static final String TENANT = "tenant-guard-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");

    static ValidatableResponse send(String key, String email, String slug) {
        return given().auth().oauth2(ENGINE).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(WelcomeEmailApiTest.welcome(email, slug, "Jane Doe")).when().post(PATH).then();
    }

    /** No notification recorded for the address, and none of its emails reached the SMTP server. */
    static void nothingFor(String email) {
        given().auth().oauth2(READER).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
        assertTrue(SmtpServer.messagesTo(email).isEmpty(), email);
    }

    @Test
    void aWelcomeWaitsForTheOrganizationsActiveOrderToThatAddress() {
        String email = WelcomeEmailApiTest.email();
        String slug = WelcomeEmailApiTest.slug();
        String key = UUID.randomUUID() + ":send_welcome";

        // The organization has no active order at all.
        SalesStub.serve(slug, List.of());
        send(key, email, slug).statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", allOf(containsString("'" + slug + "'"), containsString("no active order")));
        nothingFor(email);
        // Asked on the caller's behalf, for that organization's active orders.
        SalesStub.server().verify(getRequestedFor(urlPathEqualTo(SalesStub.ORDERS_PATH))
                .withQueryParam("status", WireMock.equalTo("active"))
                .withQueryParam("organization_slug", WireMock.equalTo(slug))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + ENGINE)));

        // Its active order is to someone else: the refusal names the organization, not the address asked about.
        String someoneElse = WelcomeEmailApiTest.email();
        SalesStub.activeOrder(slug, someoneElse);
        send(key, email, slug).statusCode(409).contentType("application/problem+json")
                .body("detail", allOf(containsString("'" + slug + "'"), containsString("no active order to that address"),
                        not(containsStringIgnoringCase(email))));
        nothingFor(email);
        nothingFor(someoneElse);

        // sales-service failing or unreachable: a 503 the engine retries, not a refusal.
        SalesStub.answer(slug, aResponse().withStatus(500).withBody("boom"));
        send(key, email, slug).statusCode(503).contentType("application/problem+json")
                .body("status", equalTo(503)).body("detail", containsString("sales-service"));
        SalesStub.answer(slug, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        send(key, email, slug).statusCode(503).body("detail", containsString("sales-service"));
        nothingFor(email);

        // The order to that address is active (among others) and its quote paid in full: the same
        // request with the same key sends it.
        Map<String, Object> order = SalesStub.activeOrder(slug, someoneElse, email.toUpperCase()).get(1);
        String id = send(key, email, slug).statusCode(202)
                .body("recipient", equalTo(email)).body("status", equalTo("sent")).body("attempts", equalTo(1))
                .extract().path("id");
        // billing-service was asked about that order's quote, on the caller's behalf too.
        SalesStub.server().verify(getRequestedFor(urlEqualTo(SalesStub.paymentPath(SalesStub.quoteId(order))))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + ENGINE)));
        assertEquals(1, SmtpServer.messagesTo(email).size());
        given().auth().oauth2(READER).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(id));
        // The key now replays that answer, sending nothing new.
        send(key, email, slug).statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        assertEquals(1, SmtpServer.messagesTo(email).size());
        assertTrue(SmtpServer.messagesTo(someoneElse).isEmpty());
    }

    @Test
    void anOrderOfTheAddressThatIsNotActiveOrOfAnotherOrganizationIsNotEnough() {
        // What sales-service lists is checked, not trusted to match the filter.
        String email = WelcomeEmailApiTest.email();
        String slug = WelcomeEmailApiTest.slug();
        SalesStub.serve(slug, List.of(SalesStub.order(slug, email, "processing"),
                SalesStub.order(WelcomeEmailApiTest.slug(), email, "active")));
        send(UUID.randomUUID().toString(), email, slug).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("'" + slug + "'"));
        nothingFor(email);
    }
}
