package io.dotmac.sales.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.createFromQuote;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.paidOrder;
import static io.dotmac.sales.testing.SalesApi.process;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Orders made from crm-service's quotes (WireMock in its place), over HTTP with real tokens and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class OrderFromQuoteTest {

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);
    // The engine never looks an order up by its external id; people do.
    final String reader = TestTokens.token(tenant, "reader");

    @Test
    void anAcceptedQuoteBecomesADraftOrderFieldByField() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        PeerServicesStub.serve(quote);
        String quoteId = (String) quote.get("id");

        ExtractableResponse<Response> created = createFromQuote(token, quoteId).statusCode(201)
                .body("external_order_id", equalTo("QUOTE-" + quote.get("quote_number")))
                .body("quote_id", equalTo(quoteId))
                .body("status", equalTo("draft"))
                .body("failure_reason", nullValue())
                .body("source", equalTo("crm_quote"))
                .body("customer_email", equalTo("ops@" + slug + ".example"))
                .body("customer_name", equalTo("Ada Lovelace"))
                .body("company_name", equalTo("Analytical Engines " + slug))
                .body("organization_slug", equalTo(slug))
                .body("region", equalTo("eu-west"))
                .body("currency", equalTo("USD"))
                .body("billing_cycle", equalTo("monthly"))
                .body("total_amount", equalTo(new BigDecimal("696.99")))
                .body("services.service_code", contains("isp-core", "billing-suite", "support-desk"))
                .body("services.service_name", contains("ISP Core Platform", "Billing Suite", "Support Desk (per seat)"))
                .body("services.quantity", contains(1, 2, 3))
                .body("tenant_id", nullValue())
                .body("deployment_instance_id", nullValue())
                .body("tenant", nullValue())
                .body("deployment", nullValue())
                .body("activations", empty())
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("activated_at", nullValue())
                .extract();
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith(ORDERS + "/" + id), created.header("Location"));

        // crm-service was asked with the caller's own token, so it answered for the caller's tenant.
        PeerServicesStub.server().verify(getRequestedFor(urlEqualTo(PeerServicesStub.quotePath(quoteId)))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + token)));
        get(token, ORDERS + "/" + id).statusCode(200)
                .body("external_order_id", equalTo("QUOTE-" + quote.get("quote_number")))
                .body("services.quantity", contains(1, 2, 3));
        get(reader, ORDERS + "/by-external-id/QUOTE-" + quote.get("quote_number")).statusCode(200)
                .body("id", equalTo(id));
    }

    @Test
    void twoLinesOfOneProductAreOneServiceWithBothQuantities() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug(), List.of(
                TestQuotes.item("support-desk", "Support Desk (per seat)", 3, "33.33"),
                TestQuotes.item("isp-core", "ISP Core Platform", 1, "299.00"),
                TestQuotes.item("support-desk", "Support Desk (per seat)", 2, "33.33")));
        PeerServicesStub.serve(quote);

        createFromQuote(token, (String) quote.get("id")).statusCode(201)
                .body("services.service_code", contains("support-desk", "isp-core"))
                .body("services.quantity", contains(5, 1));
    }

    @Test
    void aSecondCreateForTheSameQuoteReturnsTheFirstOrder() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        PeerServicesStub.serve(quote);
        String quoteId = (String) quote.get("id");

        String first = createFromQuote(token, quoteId).statusCode(201).extract().path("id");
        String second = createFromQuote(token, quoteId).statusCode(200).body("status", equalTo("draft"))
                .extract().path("id");
        // The same quote id in capitals is the same quote.
        String third = createFromQuote(token, quoteId.toUpperCase()).statusCode(200).extract().path("id");

        assertEquals(first, second);
        assertEquals(first, third);
        // The existing order is found without asking crm-service again.
        PeerServicesStub.server().verify(1, getRequestedFor(urlEqualTo(PeerServicesStub.quotePath(quoteId))));
    }

    @Test
    void concurrentCreatesForOneQuoteMakeOneOrder() throws Exception {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        PeerServicesStub.serve(quote);
        String quoteId = (String) quote.get("id");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> createFromQuote(token, quoteId).extract(), pool))
                    .toList();
            List<ExtractableResponse<Response>> responses = calls.stream().map(CompletableFuture::join).toList();

            assertEquals(Set.of(201, 200), responses.stream().map(ExtractableResponse::statusCode).collect(Collectors.toSet()));
            assertEquals(1, responses.stream().filter(r -> r.statusCode() == 201).count());
            assertEquals(1, responses.stream().map(r -> r.<String>path("id")).distinct().count());
        } finally {
            pool.shutdownNow();
        }
        as(token).queryParam("size", "100").when().get(ORDERS).then().statusCode(200)
                .body("items.findAll { it.quote_id == '" + quoteId + "' }.size()", equalTo(1));
    }

    @Test
    void aQuoteThatIsNotAcceptedIs409NamingItsStatus() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        quote.put("status", "sent");
        PeerServicesStub.serve(quote);

        createFromQuote(token, (String) quote.get("id")).statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("is sent, not accepted"))
                .body("detail", containsString((String) quote.get("quote_number")));
        get(reader, ORDERS + "/by-external-id/QUOTE-" + quote.get("quote_number")).statusCode(404);
    }

    @Test
    void aQuoteCrmServiceDoesNotKnowIs422() {
        String quoteId = UUID.randomUUID().toString();
        PeerServicesStub.answer(quoteId, aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":404,\"detail\":\"Quote not found\"}"));

        createFromQuote(token, quoteId).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("quote " + quoteId + " is unknown to crm-service"));
    }

    @Test
    void crmServiceDownIsARetryable503AndTheRetrySucceeds() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        String quoteId = (String) quote.get("id");

        PeerServicesStub.answer(quoteId, aResponse().withStatus(500).withBody("boom"));
        createFromQuote(token, quoteId).statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("crm-service is unavailable"));

        PeerServicesStub.answer(quoteId, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        createFromQuote(token, quoteId).statusCode(503).body("detail", containsString("crm-service is unavailable"));

        PeerServicesStub.answer(quoteId, aResponse().withFault(Fault.EMPTY_RESPONSE));
        createFromQuote(token, quoteId).statusCode(503).body("detail", containsString("crm-service is unavailable"));

        // Slower than the client's read timeout (1s in tests).
        PeerServicesStub.answer(quoteId, aResponse().withFixedDelay(3000).withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}"));
        createFromQuote(token, quoteId).statusCode(503).body("detail", containsString("crm-service is unavailable"));

        PeerServicesStub.serve(quote);
        createFromQuote(token, quoteId).statusCode(201).body("quote_id", equalTo(quoteId));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        PeerServicesStub.serve(quote);
        String quoteId = (String) quote.get("id");
        String key = "exec-" + UUID.randomUUID() + ":create_order";

        String id = as(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"quote_id\": \"" + quoteId + "\"}").when().post(ORDERS + "/from-quote")
                .then().statusCode(201).extract().path("id");
        as(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"quote_id\": \"" + quoteId + "\"}").when().post(ORDERS + "/from-quote")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        as(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"quote_id\": \"" + UUID.randomUUID() + "\"}").when().post(ORDERS + "/from-quote")
                .then().statusCode(422);
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        PeerServicesStub.serve(quote);
        String id = createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");
        String otherTenant = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String other = TestTokens.engine(otherTenant);

        get(other, ORDERS + "/" + id).statusCode(404).contentType("application/problem+json");
        get(TestTokens.token(otherTenant, "reader"), ORDERS + "/by-external-id/QUOTE-" + quote.get("quote_number")).statusCode(404);
        get(other, ORDERS).statusCode(200).body("items.id", not(hasItem(id)));
        cancel(other, id).statusCode(404);
        submit(other, id, true).statusCode(404);
        process(other, id).statusCode(404);
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("draft"));
    }

    @Test
    void listFiltersByStatusAndPages() {
        String listTenant = "list-" + UUID.randomUUID().toString().substring(0, 8);
        String listToken = TestTokens.token(listTenant, "operator");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
            PeerServicesStub.serve(quote);
            ids.add(createFromQuote(listToken, (String) quote.get("id")).statusCode(201).extract().path("id"));
        }
        cancel(listToken, ids.get(0)).statusCode(200).body("status", equalTo("cancelled"));

        get(listToken, ORDERS).statusCode(200).body("total", equalTo(3))
                .body("items.id", contains(ids.get(2), ids.get(1), ids.get(0)));
        get(listToken, ORDERS + "?status=cancelled").statusCode(200).body("total", equalTo(1))
                .body("items.id", contains(ids.get(0)));
        get(listToken, ORDERS + "?status=draft&page=1&size=1").statusCode(200)
                .body("total", equalTo(2)).body("page", equalTo(1))
                .body("size", equalTo(1)).body("items.id", contains(ids.get(1)));
        get(listToken, ORDERS + "?status=shipped").statusCode(400).body("detail", containsString("status must be one of"));
        get(listToken, ORDERS + "?size=0").statusCode(400).body("detail", containsString("size"));
    }

    @Test
    void listFiltersByOrganizationSlugWithinTheTenant() {
        String listTenant = "list-" + UUID.randomUUID().toString().substring(0, 8);
        String listToken = TestTokens.token(listTenant, "operator");
        String ours = TestQuotes.slug();
        String theirs = TestQuotes.slug();

        // Two orders of one organization (the first one active), one of another organization, active too.
        String oursActive = paidOrder(listToken, TestQuotes.accepted(ours));
        submit(listToken, oursActive, true).statusCode(200).body("status", equalTo("active"));
        String oursDraft = paidOrder(listToken, TestQuotes.accepted(ours));
        String theirsActive = paidOrder(listToken, TestQuotes.accepted(theirs));
        submit(listToken, theirsActive, true).statusCode(200).body("status", equalTo("active"));
        // Another API tenant's order for the same organization slug is not this tenant's to list.
        String otherToken = TestTokens.token("other-" + UUID.randomUUID().toString().substring(0, 8), "operator");
        String othersOrder = paidOrder(otherToken, TestQuotes.accepted(ours));

        get(listToken, ORDERS + "?organization_slug=" + ours).statusCode(200).body("total", equalTo(2))
                .body("items.id", contains(oursDraft, oursActive))
                .body("items.organization_slug", everyItem(equalTo(ours)));
        get(listToken, ORDERS + "?organization_slug=" + ours + "&status=active").statusCode(200).body("total", equalTo(1))
                .body("items.id", contains(oursActive))
                .body("items[0].status", equalTo("active"))
                .body("items[0].tenant.slug", equalTo(ours));
        get(listToken, ORDERS + "?status=active&organization_slug=" + theirs).statusCode(200).body("total", equalTo(1))
                .body("items.id", contains(theirsActive));
        get(listToken, ORDERS + "?organization_slug=" + ours + "&status=draft").statusCode(200).body("total", equalTo(1))
                .body("items.id", contains(oursDraft));
        get(listToken, ORDERS + "?organization_slug=" + ours + "&status=cancelled").statusCode(200).body("total", equalTo(0))
                .body("items", empty());
        get(listToken, ORDERS + "?organization_slug=" + ours + "&size=1&page=1").statusCode(200).body("total", equalTo(2))
                .body("items.id", contains(oursActive));
        get(listToken, ORDERS + "?organization_slug=" + TestQuotes.slug()).statusCode(200).body("total", equalTo(0));
        // An empty filter lets every order of the tenant through.
        get(listToken, ORDERS + "?organization_slug=").statusCode(200).body("total", equalTo(3));

        get(otherToken, ORDERS + "?organization_slug=" + ours).statusCode(200).body("total", equalTo(1))
                .body("items.id", contains(othersOrder));
        get(otherToken, ORDERS + "?organization_slug=" + ours + "&status=active").statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aRequestWithoutQuoteIdOrTokenIsRefused() {
        as(token).contentType(ContentType.JSON).body("{}").when().post(ORDERS + "/from-quote")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("quote_id"));
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body("{\"quote_id\": \"x\"}")
                .when().post(ORDERS + "/from-quote").then().statusCode(401);
        get(token, ORDERS + "/" + UUID.randomUUID()).statusCode(404).contentType("application/problem+json");
    }
}
