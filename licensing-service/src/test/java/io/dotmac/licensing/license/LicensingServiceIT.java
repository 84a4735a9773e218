package io.dotmac.licensing.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dotmac.common.rest.Problem;
import io.dotmac.common.testing.ClasspathFiles;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, the issued set (201) and a refusal's problem (4xx), as well
 * as a read. crm-service and billing-service are the stubs LicenseApiTest uses.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
@QuarkusTestResource(value = ClasspathFiles.class, initArgs = {
        @ResourceArg(name = "licensing.signing.private-key-location", value = "license-keys/test-private.pem"),
        @ResourceArg(name = "licensing.signing.public-key-location", value = "license-keys/test-public.pem")})
class LicensingServiceIT {

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void issuesReadsAndRefusesWithAProblem() {
        String customer = LicenseApiTest.customer();
        String source = LicenseApiTest.paidQuote(customer);

        LicenseApiTest.post(LicenseApiTest.SERVICE, LicenseApiTest.PATH, LicenseApiTest.issueBody(customer, source, null))
                .statusCode(201).body("customer_id", equalTo(customer)).body("source_id", equalTo(source))
                .body("licenses", hasSize(2));
        LicenseApiTest.get(LicenseApiTest.READER, LicenseApiTest.PATH + "?customer_id=" + customer)
                .statusCode(200).body("items", hasSize(2));

        LicenseApiTest.post(LicenseApiTest.SERVICE, LicenseApiTest.PATH, "{\"customer_id\": \"" + customer + "\"}")
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400))
                .body("detail", containsString("source_id"));
    }
}
