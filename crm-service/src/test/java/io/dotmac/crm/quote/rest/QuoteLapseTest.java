package io.dotmac.crm.quote.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.crm.CrmApi.createLead;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.lead;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.sentQuote;
import static io.dotmac.crm.CrmApi.tokenOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.common.testing.StandIn;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.crm.testing.SalesStub;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An accepted quote whose payment was never made lapses over HTTP: only once sales-service, which
 * checks with billing, frees the organization name its lead held for good (over real HTTP to the
 * stub); then the quote is expired with why, its lead is no customer, and the name can be another
 * lead's. Anything else is refused, and nothing changes.
 */
@QuarkusTest
class QuoteLapseTest {

    final String tenant = newTenant();
    final String operator = tokenOf(tenant);
    final String engine = TestTokens.engine(tenant);
    static final Map<String, Object> WHY = Map.of("reason", "the payment was not made before its page closed");

    @Test
    void anAcceptedQuoteNeverPaidLapsesOnceSalesFreesItsName() {
        String quote = sentQuote(operator, "isp-core", 1);
        String slug = get(operator, "/api/v1/crm/quotes/" + quote).statusCode(200).extract().path("organization_slug");
        String leadId = get(operator, "/api/v1/crm/quotes/" + quote).extract().path("lead_id");
        String lapse = "/api/v1/crm/quotes/" + quote + "/lapse";
        // Not accepted yet: nothing lapses, sales is not asked.
        post(engine, lapse, WHY).statusCode(409).body("detail", containsString("only an accepted quote"));
        post(operator, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(200);

        // sales keeps the name (billing does not report the payment failed): a 409, and the quote stays accepted.
        SalesStub.server().stubFor(release(slug, quote).willReturn(StandIn.problem(409, "the payment is pending, not failed")));
        post(engine, lapse, WHY).statusCode(409).body("detail", containsString("keeps organization slug '" + slug + "'"));
        get(operator, "/api/v1/crm/quotes/" + quote).body("status", equalTo("accepted"));

        SalesStub.server().stubFor(release(slug, quote).willReturn(aResponse().withStatus(204)));
        post(TestTokens.token(tenant, "reader"), lapse, WHY).statusCode(403);
        post(TestTokens.engine(newTenant()), lapse, WHY).statusCode(404);
        post(engine, lapse, Map.of()).statusCode(400);
        post(engine, lapse, WHY).statusCode(200).body("status", equalTo("expired"))
                .body("rejection_reason", equalTo(WHY.get("reason"))).body("accepted_at", org.hamcrest.Matchers.notNullValue());
        // Asked twice on the engine's behalf: refused, then freed.
        SalesStub.server().verify(2, deleteRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug)))
                .withQueryParam("lead_id", WireMock.equalTo(leadId)).withQueryParam("unpaid_quote", WireMock.equalTo(quote))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + engine)));
        get(operator, "/api/v1/crm/leads/" + leadId).statusCode(200).body("status", equalTo("disqualified"))
                .body("customer_id", nullValue());
        // Again: the lapsed quote, and sales is not asked again.
        post(engine, lapse, WHY).statusCode(200).body("status", equalTo("expired"));
        SalesStub.server().verify(2, deleteRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug))));

        // The name is no converted lead's any more: another lead of the tenant qualifies with it.
        Map<String, Object> next = lead("isp-core", 1);
        next.put("organization_slug", slug);
        String nextLead = createLead(operator, next);
        post(operator, "/api/v1/crm/leads/" + nextLead + "/qualify", Map.of()).statusCode(200).body("status", equalTo("qualified"));
    }

    // sales-service's release of the slug for the quote that was never paid.
    private static MappingBuilder release(String slug, String quote) {
        return delete(urlPathEqualTo(SalesStub.reservationPath(slug))).withQueryParam("unpaid_quote", WireMock.equalTo(quote));
    }

    @Test
    void aMalformedOrUnknownQuoteIsRefused() {
        post(engine, "/api/v1/crm/quotes/not-a-quote/lapse", WHY).statusCode(404);
        post(engine, "/api/v1/crm/quotes/" + UUID.randomUUID() + "/lapse", WHY).statusCode(404);
    }
}
