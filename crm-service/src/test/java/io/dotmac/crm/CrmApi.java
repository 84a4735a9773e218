package io.dotmac.crm;

import static io.restassured.RestAssured.given;

import io.dotmac.common.testing.TestTokens;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CRM API as the tests call it, over HTTP with real tokens. Names are unique per call, since
 * the test database keeps its rows from run to run. Decimals are read as BigDecimal, so amounts are
 * compared exactly.
 */
public final class CrmApi {

    public static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.BIG_DECIMAL));

    private CrmApi() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String newTenant() {
        return unique("crm");
    }

    public static String tokenOf(String tenant) {
        return TestTokens.token(tenant, "operator");
    }

    public static RequestSpecification as(String token) {
        RequestSpecification request = given().config(EXACT);
        return token == null ? request : request.auth().oauth2(token);
    }

    public static ValidatableResponse get(String token, String path) {
        return as(token).when().get(path).then();
    }

    public static ValidatableResponse post(String token, String path, Object body) {
        return post(token, path, body, null);
    }

    public static ValidatableResponse post(String token, String path, Object body, String idempotencyKey) {
        RequestSpecification request = as(token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post(path).then();
    }

    /** A lead body that qualifies: valid contact, a fresh slug, an offered region, the products given (code, quantity, ...). */
    public static Map<String, Object> lead(Object... productsAndQuantities) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer_name", "Ada Lovelace");
        body.put("customer_email", unique("ada") + "@example.net");
        body.put("company_name", "Analytical Networks");
        body.put("organization_slug", unique("org"));
        body.put("region", "eu-west");
        body.put("products", products(productsAndQuantities));
        return body;
    }

    /**
     * A shop cart at checkout, as the workflow engine sends it to from-cart: a new cart id, a valid
     * contact and a fresh slug, two ISP Core at 299.00 and three desk seats at 33.33 a month, 697.99 USD.
     */
    public static Map<String, Object> cart() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cart_id", UUID.randomUUID().toString());
        body.put("customer_name", "Ada Lovelace");
        body.put("customer_email", unique("ada") + "@example.net");
        body.put("company_name", "Analytical Networks");
        body.put("organization_slug", unique("shop"));
        body.put("region", "eu-west");
        body.put("billing_cycle", "monthly");
        body.put("currency", "USD");
        body.put("products", List.of(line("isp-core", 2, "299.00"), line("support-desk", 3, "33.33")));
        body.put("total_amount", new BigDecimal("697.99"));
        return body;
    }

    /** A cart line: a product, how many, and the unit price the visitor was shown. */
    public static Map<String, Object> line(String code, int quantity, String unitPrice) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("product_code", code);
        line.put("quantity", quantity);
        line.put("unit_price", new BigDecimal(unitPrice));
        return line;
    }

    public static List<Map<String, Object>> products(Object... productsAndQuantities) {
        List<Map<String, Object>> products = new ArrayList<>();
        for (int i = 0; i < productsAndQuantities.length; i += 2) {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("product_code", productsAndQuantities[i]);
            product.put("quantity", productsAndQuantities[i + 1]);
            products.add(product);
        }
        return products;
    }

    public static String createLead(String token, Map<String, Object> body) {
        return post(token, "/api/v1/crm/leads", body).statusCode(201).extract().path("id");
    }

    public static String qualifiedLead(String token, Object... productsAndQuantities) {
        String id = createLead(token, lead(productsAndQuantities));
        post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(200);
        return id;
    }

    public static String draftQuote(String token, String leadId) {
        return post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of()).statusCode(201).extract().path("id");
    }

    public static String sentQuote(String token, Object... productsAndQuantities) {
        String quote = draftQuote(token, qualifiedLead(token, productsAndQuantities));
        post(token, "/api/v1/crm/quotes/" + quote + "/send", Map.of()).statusCode(200);
        return quote;
    }
}
