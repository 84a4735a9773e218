package io.dotmac.licensing.license;

import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/suspend and /reinstate: every license bought with a quote at once (what
 * dunning does when a subscription's invoice stays unpaid, and undoes on a late payment), in the
 * caller's tenant only, safe to repeat; a revoked license stays revoked.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class SuspendBySourceTest {

    static final String TENANT = "lic-suspend-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);

    static String body(String source) {
        return "{\"source_id\": \"" + source + "\", \"reason\": \"invoice unpaid past its grace\"}";
    }

    @Test
    void aQuotesLicensesAreSuspendedAndReinstatedTogetherOnceAndOnlyInTheCallersTenant() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = post(SERVICE, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201).extract();
        List<String> keys = issued.path("licenses.license_key");
        String otherService = TestTokens.engine("lic-suspend-other-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> theirs = post(otherService, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201)
                .extract().path("licenses.license_key");

        post(SERVICE, PATH + "/suspend", body(quote)).statusCode(200).body("source_id", equalTo(quote))
                .body("changed", equalTo(2)).body("licenses", hasSize(2)).body("licenses.status", everyItem(equalTo("suspended")));
        post(SERVICE, PATH + "/suspend", body(quote.toUpperCase())).statusCode(200).body("changed", equalTo(0));
        for (String key : keys) {
            verify(key).body("valid", equalTo(false)).body("reason", equalTo("suspended"));
        }
        for (String key : theirs) {
            verify(key).body("valid", equalTo(true));
        }

        // A revoked license stays revoked through a reinstatement.
        String revoked = issued.path("licenses[0].id");
        post(TestTokens.token(TENANT, "admin"), PATH + "/" + revoked + "/revoke", "").statusCode(200);
        post(TestTokens.token(TENANT, "operator"), PATH + "/reinstate", body(quote)).statusCode(200).body("changed", equalTo(1));
        verify(keys.get(0)).body("reason", equalTo("revoked"));
        verify(keys.get(1)).body("valid", equalTo(true)).body("reason", equalTo("valid"));
        post(SERVICE, PATH + "/reinstate", body(quote)).statusCode(200).body("changed", equalTo(0));

        post(TestTokens.token(TENANT, "reader"), PATH + "/suspend", body(quote)).statusCode(403);
        post(SERVICE, PATH + "/suspend", "{\"source_id\": \"  \"}").statusCode(400);
        post(SERVICE, PATH + "/reinstate", body(UUID.randomUUID().toString())).statusCode(200).body("changed", equalTo(0))
                .body("licenses", hasSize(0));
    }
}
