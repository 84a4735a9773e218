package io.dotmac.workflow.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's view of a customer's subscription: billing-service's (a WireMock stand-in here),
 * read and cancelled with the caller's own token, billing's refusals passed on as the caller's.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class SubscriptionApiTest {

    static final String TENANT = "subs-" + UUID.randomUUID().toString().substring(0, 6);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String BILLING = "/api/v1/billing/subscriptions";

    private static ValidatableResponse read(String token, String quote) {
        return given().auth().oauth2(token).queryParam("quote_id", quote).when().get("/api/v1/workflows/subscriptions").then();
    }

    private static ValidatableResponse act(String token, String id, String action) {
        return given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", "key-" + id)
                .body("{\"reason\": \"customer asked\"}").when().post("/api/v1/workflows/subscriptions/" + id + "/" + action).then();
    }

    @Test
    void aQuotesSubscriptionIsReadFromBillingWithItsInvoicesWithTheCallersToken() {
        String quote = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(get(urlEqualTo(BILLING + "?quote_id=" + quote + "&size=5"))
                .willReturn(okJson("{\"items\": [{\"id\": \"" + id + "\"}], \"total\": 1}")));
        DownstreamStub.server().stubFor(get(urlEqualTo(BILLING + "/" + id)).willReturn(okJson("""
                {"id": "%s", "quote_id": "%s", "status": "active", "invoices": [{"status": "paid", "amount_due": 49.00}]}"""
                .formatted(id, quote))));

        read(READER, quote).statusCode(200).body("items", hasSize(1)).body("items[0].id", is(id))
                .body("items[0].invoices[0].status", is("paid"));
        // billing was asked as the reader, not as the engine: its tenancy and roles decide.
        DownstreamStub.server().verify(getRequestedFor(urlPathEqualTo(BILLING + "/" + id)).withHeader("Authorization",
                equalTo("Bearer " + READER)));

        String none = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(get(urlEqualTo(BILLING + "?quote_id=" + none + "&size=5"))
                .willReturn(okJson("{\"items\": [], \"total\": 0}")));
        read(READER, none).statusCode(200).body("items", hasSize(0));
    }

    @Test
    void anOperatorCancelsThroughBillingWhoseRefusalsAreTheCallers() {
        String id = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(post(urlEqualTo(BILLING + "/" + id + "/cancel"))
                .willReturn(okJson("{\"id\": \"" + id + "\", \"cancel_at_period_end\": true}")));
        act(OPERATOR, id, "cancel").statusCode(200).body("cancel_at_period_end", is(true));
        DownstreamStub.server().verify(postRequestedFor(urlEqualTo(BILLING + "/" + id + "/cancel"))
                .withHeader("Authorization", equalTo("Bearer " + OPERATOR)).withHeader("Idempotency-Key", equalTo("key-" + id)));

        String ended = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(post(urlEqualTo(BILLING + "/" + ended + "/resume")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\": 409, \"detail\": \"Subscription " + ended + " has ended (canceled)\"}")));
        act(OPERATOR, ended, "resume").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("has ended (canceled)"));

        String refused = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(post(urlEqualTo(BILLING + "/" + refused + "/cancel")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\": 422, \"detail\": \"Idempotency-Key reused with another body\"}")));
        act(OPERATOR, refused, "cancel").statusCode(422).body("detail", containsString("Idempotency-Key reused"));
        given().auth().oauth2(OPERATOR).contentType("application/json").body("{\"reason\": \"" + "x".repeat(501) + "\"}")
                .when().post("/api/v1/workflows/subscriptions/" + id + "/cancel").then().statusCode(400)
                .contentType("application/problem+json");

        String down = UUID.randomUUID().toString();
        DownstreamStub.server().stubFor(post(urlEqualTo(BILLING + "/" + down + "/cancel")).willReturn(aResponse().withStatus(503)));
        act(OPERATOR, down, "cancel").statusCode(503).contentType("application/problem+json");

        act(READER, id, "cancel").statusCode(403);
        act(OPERATOR, "not-an-id", "cancel").statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(READER).when().get("/api/v1/workflows/subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("quote_id"));
        read(READER, "x".repeat(101)).statusCode(400);
        given().when().get("/api/v1/workflows/subscriptions?quote_id=q").then().statusCode(401);
    }
}
