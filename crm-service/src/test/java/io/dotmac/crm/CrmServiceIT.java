package io.dotmac.crm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.rest.Problem;
import io.dotmac.crm.testing.SalesStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, a lead taken in (201), qualified (200) and its draft quote
 * (201), and a refusal's problem (4xx), as well as a read. sales-service (slug reservations) is the
 * stub the CRM's tests use.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(SalesStub.class)
class CrmServiceIT {

    final String token = CrmApi.tokenOf(CrmApi.unique("it"));

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void takesALeadQuotesItReadsAndRefusesWithAProblem() {
        Map<String, Object> lead = CrmApi.lead("isp-core", 2);
        String leadId = CrmApi.post(token, "/api/v1/crm/leads", lead)
                .statusCode(201).body("organization_slug", equalTo(lead.get("organization_slug"))).body("status", equalTo("new"))
                .extract().path("id");
        CrmApi.post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200).body("status", equalTo("qualified"));
        String quoteId = CrmApi.post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of())
                .statusCode(201).body("lead_id", equalTo(leadId)).body("status", equalTo("draft"))
                .body("items[0].product_code", equalTo("isp-core")).body("total_amount", equalTo(new BigDecimal("598.00")))
                .extract().path("id");
        CrmApi.get(token, "/api/v1/crm/quotes/" + quoteId).statusCode(200).body("id", equalTo(quoteId));

        Map<String, Object> noEmail = CrmApi.lead("isp-core", 1);
        noEmail.remove("customer_email");
        CrmApi.post(token, "/api/v1/crm/leads", noEmail)
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400))
                .body("detail", containsString("customer_email"));
    }
}
