package io.dotmac.sales.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

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

    private static ValidatableResponse changeTenant(String token, String change, Map<String, String> body) {
        return as(token).contentType(ContentType.JSON).body(body).when().post(TENANTS + "/" + change).then();
    }

    public static ValidatableResponse get(String token, String path) {
        return as(token).when().get(path).then();
    }
}
