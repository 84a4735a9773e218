package io.dotmac.crm.lead;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.crm.CrmApi.createLead;
import static io.dotmac.crm.CrmApi.draftQuote;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.lead;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.tokenOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.crm.testing.SalesStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lead's organization slug is reserved with sales-service, which owns slugs platform-wide: when
 * the lead qualifies (a slug another customer of the platform holds disqualifies it), for as long
 * as its quote is valid, for good once the quote is accepted, and released when it is rejected.
 */
@QuarkusTest
@QuarkusTestResource(SalesStub.class)
class SlugReservationTest {

    final String token = tokenOf(newTenant());

    private static List<LoggedRequest> reservations(String slug) {
        return SalesStub.server().findAll(putRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug))));
    }

    private static String field(LoggedRequest request, String name) {
        try {
            var value = new ObjectMapper().readTree(request.getBodyAsString()).get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String qualify(String token, String leadId) {
        return post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).extract().asString();
    }

    @Test
    void qualifyingReservesTheSlugForTheLeadWithTheCallersTokenUntilAQuoteWouldExpire() {
        Map<String, Object> body = lead("isp-core", 1);
        String slug = (String) body.get("organization_slug");
        String leadId = createLead(token, body);

        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("qualified"));

        List<LoggedRequest> reserved = reservations(slug);
        assertEquals(1, reserved.size());
        assertEquals("Bearer " + token, reserved.get(0).getHeader("Authorization"));
        SalesStub.server().verify(putRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug)))
                .withRequestBody(matchingJsonPath("$.lead_id", equalTo(leadId))));
        OffsetDateTime until = OffsetDateTime.parse(field(reserved.get(0), "expires_at"));
        assertTrue(until.isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusDays(30)), until.toString());
    }

    @Test
    void aSlugAnotherCustomerOfThePlatformHoldsDisqualifiesTheLeadBeforeAnyQuote() {
        Map<String, Object> body = lead("isp-core", 1);
        String slug = (String) body.get("organization_slug");
        SalesStub.taken(slug);
        String leadId = createLead(token, body);

        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("disqualified"))
                .body("qualification_reasons", contains(containsString("organization slug taken")));
        post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of()).statusCode(409);
    }

    @Test
    void salesServiceDownIsA503AndTheLeadStaysNew() {
        Map<String, Object> body = lead("isp-core", 1);
        String slug = (String) body.get("organization_slug");
        SalesStub.answerReserve(slug, serverError());
        String leadId = createLead(token, body);

        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("sales-service is unavailable"));
        get(token, "/api/v1/crm/leads/" + leadId).statusCode(200).body("status", org.hamcrest.Matchers.equalTo("new"));
    }

    @Test
    void theQuoteHoldsTheSlugWhileValidAcceptanceForGoodAndRejectionReleasesIt() {
        Map<String, Object> body = lead("isp-core", 1);
        String slug = (String) body.get("organization_slug");
        String leadId = createLead(token, body);
        qualify(token, leadId);
        String quote = draftQuote(token, leadId);
        String validUntil = get(token, "/api/v1/crm/quotes/" + quote).extract().path("valid_until");
        List<LoggedRequest> reserved = reservations(slug);
        assertEquals(2, reserved.size(), "qualification, then the quote");
        assertEquals(LocalDate.parse(validUntil).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
                OffsetDateTime.parse(field(reserved.get(1), "expires_at")));

        post(token, "/api/v1/crm/quotes/" + quote + "/send", Map.of()).statusCode(200);
        post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(200);
        reserved = reservations(slug);
        assertEquals(3, reserved.size());
        assertEquals(null, field(reserved.get(2), "expires_at"), "held for good: " + reserved.get(2).getBodyAsString());

        Map<String, Object> other = lead("isp-core", 1);
        String otherSlug = (String) other.get("organization_slug");
        String otherLead = createLead(token, other);
        qualify(token, otherLead);
        String rejected = draftQuote(token, otherLead);
        post(token, "/api/v1/crm/quotes/" + rejected + "/send", Map.of()).statusCode(200);
        post(token, "/api/v1/crm/quotes/" + rejected + "/reject", Map.of("reason", "too dear")).statusCode(200);
        SalesStub.server().verify(1, deleteRequestedFor(urlPathEqualTo(SalesStub.reservationPath(otherSlug)))
                .withQueryParam("lead_id", equalTo(otherLead)));
    }

    @Test
    void aSlugTakenMeanwhileRefusesTheAcceptanceAndNothingIsAccepted() {
        Map<String, Object> body = lead("isp-core", 1);
        String slug = (String) body.get("organization_slug");
        String leadId = createLead(token, body);
        qualify(token, leadId);
        String quote = draftQuote(token, leadId);
        post(token, "/api/v1/crm/quotes/" + quote + "/send", Map.of()).statusCode(200);
        SalesStub.taken(slug);

        post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(409)
                .body("detail", containsString("organization slug '" + slug + "' is taken"));
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200).body("status", org.hamcrest.Matchers.equalTo("sent"));
        get(token, "/api/v1/crm/leads/" + leadId).statusCode(200).body("status", org.hamcrest.Matchers.equalTo("qualified"));
    }
}
