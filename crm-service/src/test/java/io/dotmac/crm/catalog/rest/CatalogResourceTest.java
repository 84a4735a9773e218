package io.dotmac.crm.catalog.rest;

import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.tokenOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shop's public catalog: no token, the vendor's active products with descriptions and exact
 * prices per billing cycle, cacheable for a minute. Amounts are read as BigDecimal (CrmApi.EXACT) and
 * compared with their scale, so 2990.00 must be written 2990.00, not 2990.0 or 2990. Products made
 * here are the test's own (codes starting {@value #OWN}), removed before and after each test, so
 * the seeded five stay the catalog for the other tests.
 */
@QuarkusTest
class CatalogResourceTest {

    private static final String OWN = "test-catalog-";
    private static final String CATALOG = "/api/v1/crm/catalog";

    @Inject
    Pool pool;

    @BeforeEach
    @AfterEach
    void removeOwnProducts() {
        sql("DELETE FROM products WHERE code LIKE $1", Tuple.of(OWN + "%"));
    }

    @Test
    void anyoneSeesTheActiveProductsWithDescriptionsAndExactPrices() {
        JsonPath catalog = get(null, CATALOG).statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "public, max-age=60")
                .body("products.code", contains("billing-suite", "customer-portal", "isp-core", "network-monitoring", "support-desk"))
                .body("products.currency", everyItem(equalTo("USD")))
                .extract().jsonPath();

        List<Map<String, Object>> products = catalog.getList("products");
        for (Map<String, Object> product : products) {
            assertEquals(List.of("code", "name", "description", "currency", "unit_prices"), List.copyOf(product.keySet()), "no other fields");
            assertFalse(((String) product.get("description")).isBlank(), product.toString());
        }
        assertEquals("ISP Core Platform", catalog.getString("products.find { it.code == 'isp-core' }.name"));
        assertEquals(Map.of("monthly", new BigDecimal("299.00"), "annual", new BigDecimal("2990.00")), unitPrices(catalog, "isp-core"));
        // A year is ten months, to the cent: 10 x 33.33.
        assertEquals(Map.of("monthly", new BigDecimal("33.33"), "annual", new BigDecimal("333.30")), unitPrices(catalog, "support-desk"));
        assertEquals(Map.of("monthly", new BigDecimal("79.00"), "annual", new BigDecimal("790.00")), unitPrices(catalog, "customer-portal"));
    }

    @Test
    void aTokenChangesNothingEvenAnExpiredOne() {
        get(tokenOf(newTenant()), CATALOG).statusCode(200).body("products.code", hasItem("isp-core"));
        // A visitor's stale token must not lock them out of a public page.
        get(TestTokens.expired(newTenant(), "reader"), CATALOG).statusCode(200).body("products.code", hasItem("isp-core"));
    }

    @Test
    void anInactiveProductIsNotInTheCatalog() {
        String retired = OWN + "retired";
        sql("INSERT INTO products (code, name, description, unit_price, currency, billing_cycle, active, annual_unit_price) "
                + "VALUES ($1, 'Retired', 'No longer sold.', 10.00, 'USD', 'monthly', false, 100.00)", Tuple.of(retired));

        get(null, CATALOG).statusCode(200).body("products.code", not(hasItem(retired))).body("products.code", hasItem("isp-core"));

        sql("UPDATE products SET active = true WHERE code = $1", Tuple.of(retired));
        get(null, CATALOG).statusCode(200).body("products.code", hasItem(retired));
    }

    @Test
    void aProductShowsOnlyTheCyclesItIsSoldWith() {
        String yearly = OWN + "yearly";
        String monthlyOnly = OWN + "monthly-only";
        sql("INSERT INTO products (code, name, description, unit_price, currency, billing_cycle) "
                + "VALUES ($1, 'Yearly', 'Sold by the year.', 1200.00, 'USD', 'annual')", Tuple.of(yearly));
        sql("INSERT INTO products (code, name, description, unit_price, currency, billing_cycle) "
                + "VALUES ($1, 'Monthly only', 'Sold by the month.', 5.50, 'EUR', 'monthly')", Tuple.of(monthlyOnly));

        JsonPath catalog = get(null, CATALOG).statusCode(200).extract().jsonPath();
        assertEquals(Map.of("annual", new BigDecimal("1200.00")), unitPrices(catalog, yearly));
        assertEquals(Map.of("monthly", new BigDecimal("5.50")), unitPrices(catalog, monthlyOnly));
        assertEquals("EUR", catalog.getString("products.find { it.code == '" + monthlyOnly + "' }.currency"));
    }

    @Test
    void anAnnuallyBilledProductCannotHaveASecondAnnualPrice() {
        // The migration's rule: an annual product's annual price is its unit_price.
        String refused = pool.preparedQuery("INSERT INTO products (code, name, unit_price, currency, billing_cycle, annual_unit_price) "
                        + "VALUES ($1, 'Twice', 100.00, 'USD', 'annual', 90.00)")
                .execute(Tuple.of(OWN + "twice")).onItem().transform(rows -> "inserted")
                .onFailure().recoverWithItem(Throwable::getMessage).await().atMost(Duration.ofSeconds(10));
        assertThat(refused, containsString("products_annual_price_of_monthly_only"));
    }

    @Test
    void theProductsListShowsDescriptionsToo() {
        get(tokenOf(newTenant()), "/api/v1/crm/products").statusCode(200)
                .body("items.description", everyItem(not(equalTo(""))))
                .body("items.find { it.code == 'isp-core' }.unit_price", equalTo(new BigDecimal("299.00")))
                .body("items.find { it.code == 'isp-core' }.description",
                        equalTo("The subscriber, service and network inventory at the heart of an ISP's operations."));
    }

    @Test
    void theOpenApiDocumentShowsItWithoutSecurity() {
        String operation = "paths.'/api/v1/crm/catalog'.get";
        get(TestTokens.token(newTenant(), "reader"), "/q/openapi?format=json").statusCode(200)
                .body(operation + ".tags", contains("Catalog"))
                .body(operation + ".summary", containsString("Public"))
                .body(operation, not(hasKey("security")))
                // Unlike the operators' list of products, which names its bearer token.
                .body("paths.'/api/v1/crm/products'.get", hasKey("security"));
    }

    private static Map<String, Object> unitPrices(JsonPath catalog, String code) {
        return catalog.getMap("products.find { it.code == '" + code + "' }.unit_prices");
    }

    private void sql(String statement, Tuple arguments) {
        pool.preparedQuery(statement).execute(arguments).await().atMost(Duration.ofSeconds(10));
    }
}
