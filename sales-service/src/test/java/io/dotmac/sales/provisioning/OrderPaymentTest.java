package io.dotmac.sales.provisioning;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.createFromQuote;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.process;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Nothing is submitted or provisioned before billing-service (WireMock in its place, over real
 * HTTP) reports the order's quote paid in full and in the order's currency: submit and process of
 * an unpaid order are 409 naming why, billing-service unavailable is a retryable 503, and the order
 * stays a draft with no customer tenant or deployment until the payment succeeds. Against the real
 * database, through the HTTP API with real tokens.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class OrderPaymentTest {

    /** The total of {@link TestQuotes#accepted(String)}. */
    static final BigDecimal TOTAL = new BigDecimal("696.99");

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @Inject
    Pool database;

    /** A draft order of the quote; what billing-service answers for its payment is left to the test. */
    private String draftOrder(Map<String, Object> quote) {
        PeerServicesStub.serve(quote);
        return createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");
    }

    private static String quoteId(Map<String, Object> quote) {
        return (String) quote.get("id");
    }

    private ValidatableResponse keyedSubmit(String id) {
        return as(token).header("Idempotency-Key", "exec-" + id + ":submit_order").contentType(ContentType.JSON)
                .body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit").then();
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, Matcher<String> detail) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", detail);
    }

    /** The order is still the draft it was made: nothing provisioned, no failure recorded. */
    private void stillDraft(String id, String slug) {
        get(token, ORDERS + "/" + id).statusCode(200)
                .body("status", equalTo("draft"))
                .body("failure_reason", nullValue())
                .body("tenant_id", nullValue())
                .body("deployment_instance_id", nullValue())
                .body("tenant", nullValue())
                .body("deployment", nullValue())
                .body("activations", empty())
                .body("activated_at", nullValue());
        assertEquals(0, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
        assertEquals(0, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", UUID.fromString(id)));
        assertEquals(0, Rows.count(database, "SELECT count(*) FROM service_activations WHERE order_id = $1", UUID.fromString(id)));
    }


    private static int paymentReads(String quoteId) {
        return PeerServicesStub.server().countRequestsMatching(
                getRequestedFor(urlEqualTo(PeerServicesStub.paymentPath(quoteId))).build()).getCount();
    }

    @Test
    void anOrderWhoseQuoteHasNoPaymentIsNeitherSubmittedNorProcessed() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);
        PeerServicesStub.noPayment(quoteId(quote));

        Matcher<String> noPayment = allOf(containsString("quote " + quoteId(quote) + " has no payment"),
                containsString("Order " + id));
        refused(submit(token, id, true), 409, allOf(noPayment, containsString("cannot be submitted")));
        refused(submit(token, id, false), 409, noPayment);
        refused(keyedSubmit(id), 409, noPayment);
        refused(process(token, id), 409, allOf(noPayment, containsString("cannot be processed")));
        stillDraft(id, slug);

        // billing-service was asked with the caller's own token, so it answered for the caller's tenant.
        PeerServicesStub.server().verify(getRequestedFor(urlEqualTo(PeerServicesStub.paymentPath(quoteId(quote))))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + token)));

        // A cancelled order is refused for being cancelled, whatever its payment: billing-service is not asked.
        cancel(token, id).statusCode(200).body("status", equalTo("cancelled"));
        int asked = paymentReads(quoteId(quote));
        refused(submit(token, id, true), 409, containsString("is cancelled"));
        refused(process(token, id), 409, containsString("is cancelled"));
        assertEquals(asked, paymentReads(quoteId(quote)));
    }

    @Test
    void aPaymentThatHasNotSucceededIs409NamingItsState() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);

        String pending = (String) PeerServicesStub.payment(quoteId(quote), "pending", TOTAL, "USD").get("id");
        refused(submit(token, id, true), 409, allOf(containsString("payment " + pending),
                containsString("is pending, not succeeded")));
        refused(process(token, id), 409, containsString("is pending, not succeeded"));

        PeerServicesStub.payment(quoteId(quote), "failed", TOTAL, "USD");
        refused(submit(token, id, true), 409, containsString("is failed, not succeeded"));
        stillDraft(id, slug);
    }

    @Test
    void aSucceededPaymentOfAnotherAmountOrCurrencyIs409NamingBoth() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);

        PeerServicesStub.payment(quoteId(quote), "succeeded", new BigDecimal("600.00"), "USD");
        refused(submit(token, id, true), 409, allOf(containsString("is 600.00 USD"), containsString("not the 696.99 USD due")));
        refused(process(token, id), 409, allOf(containsString("600.00 USD"), containsString("696.99 USD")));

        // Exactly the total: more is not it either.
        PeerServicesStub.payment(quoteId(quote), "succeeded", new BigDecimal("700.00"), "USD");
        refused(submit(token, id, true), 409, allOf(containsString("is 700.00 USD"), containsString("696.99 USD")));

        PeerServicesStub.payment(quoteId(quote), "succeeded", TOTAL, "EUR");
        refused(submit(token, id, true), 409, allOf(containsString("is 696.99 EUR"), containsString("not the 696.99 USD due")));
        refused(process(token, id), 409, allOf(containsString("696.99 EUR"), containsString("696.99 USD")));
        stillDraft(id, slug);
    }

    @Test
    void billingServiceUnavailableIsARetryable503AndNothingIsProvisioned() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);

        PeerServicesStub.answerPayment(quoteId(quote), aResponse().withStatus(500).withBody("boom"));
        refused(submit(token, id, true), 503, allOf(containsString("billing-service is unavailable"),
                containsString("HTTP 500"), containsString(quoteId(quote))));
        refused(keyedSubmit(id), 503, containsString("billing-service is unavailable"));
        refused(process(token, id), 503, containsString("billing-service is unavailable"));

        PeerServicesStub.answerPayment(quoteId(quote), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        refused(submit(token, id, true), 503, containsString("billing-service is unavailable"));
        stillDraft(id, slug);

        // The retry once billing-service is back goes through.
        PeerServicesStub.paid(quote);
        keyedSubmit(id).statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void onceThePaymentSucceedsTheSameSubmitActivatesTheOrder() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);

        PeerServicesStub.noPayment(quoteId(quote));
        refused(keyedSubmit(id), 409, containsString("has no payment"));
        PeerServicesStub.payment(quoteId(quote), "processing", TOTAL, "USD");
        refused(keyedSubmit(id), 409, containsString("is processing, not succeeded"));
        stillDraft(id, slug);

        // The engine sends its step again with the same key: a refusal stored nothing, so it runs now.
        PeerServicesStub.paid(quote);
        keyedSubmit(id).statusCode(200)
                .header("Idempotent-Replayed", nullValue())
                .body("status", equalTo("active"))
                .body("failure_reason", nullValue())
                .body("activated_at", notNullValue())
                .body("tenant.slug", equalTo(slug))
                .body("deployment.status", equalTo("running"))
                .body("activations", hasSize(3))
                .body("activations.status", everyItem(equalTo("completed")));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", UUID.fromString(id)));
    }

    @Test
    void aPaidOrderSubmittedWithoutActivationIsCheckedAgainWhenProcessed() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);

        PeerServicesStub.paid(quote);
        submit(token, id, false).statusCode(200).body("status", equalTo("submitted"));

        // The payment is asked for at the moment of processing, not remembered from the submit.
        PeerServicesStub.answerPayment(quoteId(quote), aResponse().withStatus(503));
        refused(process(token, id), 503, containsString("billing-service is unavailable"));
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("submitted")).body("tenant", nullValue());

        PeerServicesStub.paid(quote);
        process(token, id).statusCode(200).body("status", equalTo("active")).body("tenant.slug", equalTo(slug));
    }

    @Test
    void anActiveOrderIsReturnedUnchangedWithoutAskingBillingService() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = draftOrder(quote);
        PeerServicesStub.paid(quote);
        var active = submit(token, id, true).statusCode(200).body("status", equalTo("active")).extract().jsonPath();

        // billing-service down, or its answer changed since: an active order needs no check.
        PeerServicesStub.answerPayment(quoteId(quote), aResponse().withStatus(500).withBody("boom"));
        int asked = paymentReads(quoteId(quote));
        submit(token, id, true).statusCode(200).body("status", equalTo("active"))
                .body("tenant_id", equalTo(active.getString("tenant_id")))
                .body("deployment_instance_id", equalTo(active.getString("deployment_instance_id")))
                .body("activations.attempts", everyItem(equalTo(1)));
        submit(token, id, false).statusCode(200).body("status", equalTo("active"));
        keyedSubmit(id).statusCode(200).body("status", equalTo("active"));
        process(token, id).statusCode(200).body("status", equalTo("active"))
                .body("activations.attempts", everyItem(equalTo(1)));
        assertEquals(asked, paymentReads(quoteId(quote)), "billing-service asked about an active order");

        PeerServicesStub.noPayment(quoteId(quote));
        process(token, id).statusCode(200).body("status", equalTo("active"));
        assertEquals(asked, paymentReads(quoteId(quote)));
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("active"))
                .body("failure_reason", nullValue());
    }
}
