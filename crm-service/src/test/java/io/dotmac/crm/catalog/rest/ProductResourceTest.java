package io.dotmac.crm.catalog.rest;

import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.tokenOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The seeded catalog, with exact prices, the same for every tenant. */
@QuarkusTest
class ProductResourceTest {

    @Test
    void theSeededCatalogByCode() {
        get(tokenOf(newTenant()), "/api/v1/crm/products").statusCode(200)
                .body("total", equalTo(5))
                .body("items.code", contains("billing-suite", "customer-portal", "isp-core", "network-monitoring", "support-desk"))
                .body("items.unit_price", contains(new BigDecimal("149.00"), new BigDecimal("79.00"), new BigDecimal("299.00"),
                        new BigDecimal("99.00"), new BigDecimal("33.33")))
                .body("items.name", contains("Billing Suite", "Customer Portal", "ISP Core Platform", "Network Monitoring",
                        "Support Desk (per seat)"))
                .body("items.currency", everyItem(equalTo("USD")))
                .body("items.billing_cycle", everyItem(equalTo("monthly")));
        get(tokenOf(newTenant()), "/api/v1/crm/products?size=2&page=2").statusCode(200).body("items.code", contains("support-desk"));
    }
}
