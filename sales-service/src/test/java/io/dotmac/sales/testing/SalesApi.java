package io.dotmac.sales.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** The order API over HTTP, as a caller with a token sees it; JSON numbers read as BigDecimal. */
public final class SalesApi {

    public static final String ORDERS = "/api/v1/sales/orders";
    public static final String TENANTS = "/api/v1/sales/tenants";

    private SalesApi() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token)
                .config(RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
    }

    public static ValidatableResponse createFromQuote(String token, String quoteId) {
        return as(token).contentType(ContentType.JSON).body("{\"quote_id\": \"" + quoteId + "\"}")
                .when().post(ORDERS + "/from-quote").then();
    }

    /** A draft order of the quote, which crm-service serves and billing-service reports paid in full; its id. */
    public static String paidOrder(String token, Map<String, Object> quote) {
        PeerServicesStub.serve(quote);
        PeerServicesStub.paid(quote);
        return createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");
    }

    /** An active order and the customer tenant it provisioned. */
    public record ActiveOrder(String quoteId, String slug, String orderId) {
    }

    /** A paid order of a new quote, submitted and processed: its customer tenant is active. */
    public static ActiveOrder activeOrder(String token) {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = paidOrder(token, quote);
        submit(token, id, true).statusCode(200).body("status", equalTo("active")).body("tenant.status", equalTo("active"));
        return new ActiveOrder((String) quote.get("id"), slug, id);
    }

    public static ValidatableResponse submit(String token, String orderId, boolean autoActivate) {
        return as(token).contentType(ContentType.JSON).body("{\"auto_activate\": " + autoActivate + "}")
                .when().post(ORDERS + "/" + orderId + "/submit").then();
    }

    public static ValidatableResponse process(String token, String orderId) {
        return as(token).contentType(ContentType.JSON).body("{}").when().post(ORDERS + "/" + orderId + "/process").then();
    }

    public static ValidatableResponse cancel(String token, String orderId) {
        return as(token).when().post(ORDERS + "/" + orderId + "/cancel").then();
    }

    /** Suspends the customer tenant of the quote's order, for the reason (null: none given). */
    public static ValidatableResponse suspendTenant(String token, String quoteId, String reason) {
        return changeTenant(token, "suspend", reason == null ? Map.of("quote_id", quoteId)
                : Map.of("quote_id", quoteId, "reason", reason));
    }

    public static ValidatableResponse reinstateTenant(String token, String quoteId) {
        return changeTenant(token, "reinstate", Map.of("quote_id", quoteId));
    }

    /** Puts the hold on the customer tenant of the quote's order ({@code suspend}) or lifts it ({@code reinstate}). */
    public static ValidatableResponse changeHold(String token, String change, String quoteId, String hold) {
        return changeTenant(token, change, Map.of("quote_id", quoteId, "hold", hold, "reason", "invoice " + hold + " unpaid"));
    }

    /** The customer tenant of the quote's order, read. */
    public static ValidatableResponse tenantOf(String token, String quoteId) {
        return get(token, TENANTS + "/by-quote/" + quoteId);
    }

    /** Tears down the customer tenant of the quote's order, by cancelling the order. */
    public static ValidatableResponse deprovisionTenant(String token, String quoteId) {
        return changeTenant(token, "deprovision", Map.of("quote_id", quoteId, "reason", "subscription sub_123 ended"));
    }

    private static ValidatableResponse changeTenant(String token, String change, Map<String, String> body) {
        return as(token).contentType(ContentType.JSON).body(body).when().post(TENANTS + "/" + change).then();
    }

    /** Submits the order with auto_activate as the workflow engine's step does, with its Idempotency-Key. */
    public static ExtractableResponse<Response> submitAsStep(String token, String id) {
        return as(token).header("Idempotency-Key", "exec-" + id + ":submit_order").contentType(ContentType.JSON)
                .body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit").then().extract();
    }

    /** Sends every request at once, each from its own thread; every answer must be 200 with the order active. */
    public static void allActive(List<Supplier<ExtractableResponse<Response>>> requests) {
        ExecutorService callers = Executors.newFixedThreadPool(requests.size());
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = requests.stream()
                    .map(request -> CompletableFuture.supplyAsync(request, callers)).toList();
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.join();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals("active", response.path("status"));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    public static ValidatableResponse get(String token, String path) {
        return as(token).when().get(path).then();
    }
}
