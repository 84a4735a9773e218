package io.dotmac.e2e;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.testing.TestTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A customer organization's slug is a subdomain, unique across the platform: two vendor tenants'
 * leads asking for the same one, the first to qualify holds it (sales-service reserves it) and the
 * second is disqualified for it before any quote or payment exists.
 */
@ExtendWith(SuiteExtension.class)
class GlobalSlugIT {

    @Test
    void twoVendorTenantsLeadsWithOneSlugTheSecondIsDisqualifiedBeforeAQuoteExists(Suite suite) {
        String slug = "e2e-shared-" + UUID.randomUUID().toString().substring(0, 8);
        Api first = new Api(suite, TestTokens.token(suite.newTenant("slug-a"), "operator", "reader"));
        Api second = new Api(suite, TestTokens.token(suite.newTenant("slug-b"), "operator", "reader"));
        Onboarding.Lead held = new Onboarding(first, new Workflows(suite, first)).create("a", slug);
        Onboarding.Lead late = new Onboarding(second, new Workflows(suite, second)).create("b", slug);

        first.to(Service.CRM).post("/api/v1/crm/leads/{id}/qualify", held.leadId()).then().statusCode(200)
                .body("status", equalTo("qualified"));
        second.to(Service.CRM).post("/api/v1/crm/leads/{id}/qualify", late.leadId()).then().statusCode(200)
                .body("status", equalTo("disqualified"))
                .body("qualification_reasons", contains(containsString("organization slug taken")));

        second.to(Service.CRM).post("/api/v1/crm/leads/{id}/quotes", late.leadId()).then().statusCode(409);
        second.to(Service.CRM).get("/api/v1/crm/leads/{id}/quotes", late.leadId()).then().statusCode(200)
                .body("total", equalTo(0));
        first.to(Service.SALES).get("/api/v1/sales/slug-reservations/{slug}", slug).then().statusCode(200)
                .body("lead_id", equalTo(held.leadId()));
        second.to(Service.SALES).get("/api/v1/sales/slug-reservations/{slug}", slug).then().statusCode(404);
    }
}
