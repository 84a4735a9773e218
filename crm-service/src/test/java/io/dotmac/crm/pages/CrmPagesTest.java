package io.dotmac.crm.pages;

import static io.dotmac.common.testing.StaticPageChecks.page;
import static io.dotmac.common.testing.StaticPageChecks.secured;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.dotmac.crm.CrmApi;
import io.dotmac.common.testing.StaticPageChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * The CRM pages' static files and public settings are served without a token (they hold no
 * data), with a strict Content-Security-Policy; the API they call still needs one.
 */
@QuarkusTest
class CrmPagesTest {

    @Test
    void thePagesAreServedWithoutAToken() {
        for (String path : new String[] {"/crm/", "/crm/index.html"}) {
            ValidatableResponse response = page(path).statusCode(200).contentType(startsWith("text/html"))
                    .body(containsString("<script type=\"module\" src=\"app.js\"></script>"))
                    .body(containsString("href=\"../_pages/common.css\""))
                    .body(containsString("href=\"crm.css\""))
                    .body(containsString("data-testid=\"signin-token\""))
                    .body(containsString("data-testid=\"confirm-dialog\""))
                    .body(containsString("data-testid=\"confirm-reason\""));
            secured(response);
        }
        secured(page("/crm/app.js").statusCode(200).contentType(containsString("javascript"))
                .body(containsString("const API_ROOT")).body(containsString("from '../_pages/common.js'")));
        secured(page("/crm/crm.css").statusCode(200).contentType(startsWith("text/css"))
                .body(containsString(".status-accepted")));
        page("/crm/no-such-file.js").statusCode(404);
    }

    @Test
    void theFilesThePagesImportAreServedFromPlatformCommon() {
        StaticPageChecks.sharedFilesServed();
    }

    @Test
    void crmWithoutASlashLeadsToThePages() {
        page("/crm").statusCode(301).header("Location", equalTo("crm/"));
    }

    @Test
    void theConfigTellsWhereTheConsoleIsAndNothingMore() {
        secured(page("/crm/config.json").statusCode(200).contentType(startsWith("application/json"))
                .body("console_url", equalTo("http://127.0.0.1:8080/console/"))
                .body("regions", contains("eu-west", "us-east", "ap-southeast"))
                .body("size()", equalTo(2)));
    }

    @Test
    void theApiBehindThePagesStillNeedsAToken() {
        page("/api/v1/crm/leads").statusCode(401).contentType("application/problem+json");
        page("/api/v1/crm/products").statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body("{}").when().post("/api/v1/crm/leads").then()
                .statusCode(401).contentType("application/problem+json");
        // With one, what the pages call answers in the caller's tenant.
        CrmApi.get(CrmApi.tokenOf(CrmApi.newTenant()), "/api/v1/crm/leads?size=1").statusCode(200).body("total", equalTo(0));
    }

    @Test
    void theScriptNeverParsesDataAsMarkup() {
        StaticPageChecks.neverParsesDataAsMarkup("/crm/app.js");
    }

    @Test
    void theScriptNeverDoesArithmeticOnAmounts() {
        // Amounts are read from the response text as strings and shown as written; no parseFloat, no toFixed.
        page("/crm/app.js").statusCode(200).body(allOf(containsString("function parseExact"), not(containsString("parseFloat")),
                not(containsString("toFixed")), not(containsString("Intl.NumberFormat")), containsString("'Idempotency-Key'")));
    }
}
