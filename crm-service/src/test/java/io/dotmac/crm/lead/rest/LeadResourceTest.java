package io.dotmac.crm.lead.rest;

import static io.dotmac.crm.CrmApi.as;
import static io.dotmac.crm.CrmApi.createLead;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.lead;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.products;
import static io.dotmac.crm.CrmApi.tokenOf;
import static io.dotmac.crm.CrmApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Leads over HTTP: taking them in, listing, qualification and its reasons, tenancy, auth, idempotency. */
@QuarkusTest
class LeadResourceTest {

    final String tenant = newTenant();
    final String token = tokenOf(tenant);

    @Test
    void createGetAndList() {
        Map<String, Object> body = lead("isp-core", 1, "support-desk", 3);
        body.put("notes", "Wants to go live before March");
        String id = post(token, "/api/v1/crm/leads", body).statusCode(201).extract().path("id");
        get(token, "/api/v1/crm/leads/" + id).statusCode(200)
                .body("id", equalTo(id))
                .body("customer_name", equalTo("Ada Lovelace"))
                .body("customer_email", equalTo(body.get("customer_email")))
                // Not a customer yet: the slug is only reserved by qualification.
                .body("$", hasKey("customer_id"))
                .body("customer_id", nullValue())
                .body("company_name", equalTo("Analytical Networks"))
                .body("organization_slug", equalTo(body.get("organization_slug")))
                .body("region", equalTo("eu-west"))
                .body("products.product_code", contains("isp-core", "support-desk"))
                .body("products.quantity", contains(1, 3))
                .body("status", equalTo("new"))
                .body("source", equalTo("api"))
                .body("owner", equalTo("test-user@" + tenant))
                .body("notes", equalTo("Wants to go live before March"))
                .body("qualification_reasons", empty())
                .body("qualified_at", nullValue())
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue());

        get(token, "/api/v1/crm/leads?status=new").statusCode(200).body("items.id", hasItem(id));
        get(token, "/api/v1/crm/leads?status=qualified").statusCode(200).body("items.id", not(hasItem(id)));
    }

    @Test
    void locationNamesTheNewLead() {
        var response = post(token, "/api/v1/crm/leads", lead("isp-core", 1)).statusCode(201).extract();
        assertEquals("/api/v1/crm/leads/" + response.path("id"), java.net.URI.create(response.header("Location")).getPath());
    }

    @Test
    void listIsNewestFirstAndPaginated() {
        String first = createLead(token, lead("isp-core", 1));
        String second = createLead(token, lead("isp-core", 1));
        String third = createLead(token, lead("isp-core", 1));

        get(token, "/api/v1/crm/leads?size=2").statusCode(200)
                .body("items.id", contains(third, second)).body("page", equalTo(0)).body("size", equalTo(2)).body("total", equalTo(3));
        get(token, "/api/v1/crm/leads?size=2&page=1").statusCode(200).body("items.id", contains(first));
        get(token, "/api/v1/crm/leads?status=converted").statusCode(200).body("items", empty()).body("total", equalTo(0));

        get(token, "/api/v1/crm/leads?status=won").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("status must be one of new, qualified, disqualified, converted"));
        get(token, "/api/v1/crm/leads?size=500").statusCode(400).body("detail", containsString("size"));
        get(token, "/api/v1/crm/leads?page=x").statusCode(400).body("detail", containsString("page"));
    }

    @Test
    void validationErrorsNameTheField() {
        Map<String, Object> noEmail = lead("isp-core", 1);
        noEmail.remove("customer_email");
        post(token, "/api/v1/crm/leads", noEmail).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("customer_email"));

        Map<String, Object> blankCode = lead();
        blankCode.put("products", products(" ", 1));
        post(token, "/api/v1/crm/leads", blankCode).statusCode(400).body("detail", containsString("products[0].product_code"));

        Map<String, Object> fraction = lead("isp-core", 2.5);
        post(token, "/api/v1/crm/leads", fraction).statusCode(400).body("detail", containsString("products[0].quantity"));

        Map<String, Object> noProducts = lead();
        noProducts.remove("products");
        post(token, "/api/v1/crm/leads", noProducts).statusCode(400).body("detail", containsString("products"));

        Map<String, Object> longSlug = lead("isp-core", 1);
        longSlug.put("organization_slug", "a".repeat(101));
        post(token, "/api/v1/crm/leads", longSlug).statusCode(400).body("detail", containsString("organization_slug"));

        as(token).contentType(ContentType.JSON).body("{not json").when().post("/api/v1/crm/leads")
                .then().statusCode(400).contentType("application/problem+json");
        // Nothing was stored by any of them.
        get(token, "/api/v1/crm/leads").statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aLeadThatPassesEveryRuleIsQualifiedOnceAndThenReturnedUnchanged() {
        Map<String, Object> body = lead("isp-core", 1, "support-desk", 10_000);
        String id = createLead(token, body);

        var qualified = post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(200)
                .body("status", equalTo("qualified"))
                .body("qualification_reasons", empty())
                .body("qualified_at", notNullValue())
                // The customer licensing will know: the slug qualification reserved.
                .body("customer_id", equalTo(body.get("organization_slug")))
                .extract();
        post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(200)
                .body("status", equalTo("qualified"))
                .body("qualified_at", equalTo(qualified.path("qualified_at")))
                .body("updated_at", equalTo(qualified.path("updated_at")))
                .body("customer_id", equalTo(body.get("organization_slug")));
        get(token, "/api/v1/crm/leads/" + id).statusCode(200).body("customer_id", equalTo(body.get("organization_slug")));
        get(token, "/api/v1/crm/leads?status=qualified").statusCode(200).body("items.id", contains(id))
                .body("items.customer_id", contains(body.get("organization_slug")));
    }

    @Test
    void aLeadThatFailsIsDisqualifiedWithEveryReason() {
        Map<String, Object> body = lead("teleporter", 1, "isp-core", 0, "support-desk", 10_001);
        body.put("customer_email", "ada-at-example");
        body.put("organization_slug", "Analytical_Networks");
        body.put("region", "mars-north");
        String id = createLead(token, body);

        post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(200)
                .body("status", equalTo("disqualified"))
                .body("qualified_at", nullValue())
                .body("$", hasKey("customer_id"))
                .body("customer_id", nullValue())
                .body("qualification_reasons", hasSize(6))
                .body("qualification_reasons", hasItem(containsString("customer_email 'ada-at-example' is not a valid email")))
                .body("qualification_reasons", hasItem(containsString("organization_slug 'Analytical_Networks' must be")))
                .body("qualification_reasons", hasItem(containsString("region 'mars-north' is not offered")))
                .body("qualification_reasons", hasItem(containsString("'teleporter' is not in the catalog")))
                .body("qualification_reasons", hasItem(containsString("quantity of 'isp-core' must be between 1 and 10000, was 0")))
                .body("qualification_reasons", hasItem(containsString("quantity of 'support-desk' must be between 1 and 10000, was 10001")));
        get(token, "/api/v1/crm/leads/" + id).statusCode(200).body("status", equalTo("disqualified")).body("customer_id", nullValue());

        String empty = createLead(token, lead());
        post(token, "/api/v1/crm/leads/" + empty + "/qualify", Map.of()).statusCode(200)
                .body("status", equalTo("disqualified"))
                .body("qualification_reasons", contains("products: at least one product is required"));
    }

    @Test
    void aSlugHeldByAnotherQualifiedLeadOfTheTenantDisqualifies() {
        Map<String, Object> first = lead("isp-core", 1);
        String slug = (String) first.get("organization_slug");
        String holder = createLead(token, first);
        // Two new leads may name the same slug; only qualification claims it.
        Map<String, Object> second = lead("isp-core", 1);
        second.put("organization_slug", slug);
        String late = createLead(token, second);

        post(token, "/api/v1/crm/leads/" + holder + "/qualify", Map.of()).statusCode(200).body("status", equalTo("qualified"));
        post(token, "/api/v1/crm/leads/" + late + "/qualify", Map.of()).statusCode(200)
                .body("status", equalTo("disqualified"))
                // The slug is another customer's.
                .body("customer_id", nullValue())
                .body("qualification_reasons", contains("organization_slug '" + slug + "' is already taken by another qualified or converted lead"));

        // Slugs are per tenant.
        String otherToken = tokenOf(newTenant());
        String elsewhere = createLead(otherToken, second);
        post(otherToken, "/api/v1/crm/leads/" + elsewhere + "/qualify", Map.of()).statusCode(200).body("status", equalTo("qualified"));
    }

    @Test
    void ofTwoLeadsQualifiedAtOnceWithOneSlugOnlyOneHoldsIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            Map<String, Object> body = lead("isp-core", 1);
            String a = createLead(token, body);
            String b = createLead(token, body);
            var pool = Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> post(token, "/api/v1/crm/leads/" + a + "/qualify", Map.of()).extract());
                var second = pool.submit(() -> post(token, "/api/v1/crm/leads/" + b + "/qualify", Map.of()).extract());
                List<ExtractableResponse<?>> answers = List.of(first.get(), second.get());
                // They take turns: the later one finds the slug taken and is disqualified for it.
                assertEquals(List.of(200, 200), answers.stream().map(r -> r.statusCode()).toList());
                assertEquals(Set.of("qualified", "disqualified"),
                        answers.stream().map(r -> r.<String>path("status")).collect(Collectors.toSet()));
                var loser = answers.stream().filter(r -> "disqualified".equals(r.path("status"))).findFirst().orElseThrow();
                assertEquals(List.of("organization_slug '" + body.get("organization_slug")
                        + "' is already taken by another qualified or converted lead"), loser.path("qualification_reasons"));
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        String id = createLead(token, lead("isp-core", 1));
        String other = tokenOf(newTenant());

        get(other, "/api/v1/crm/leads/" + id).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(id));
        post(other, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(404);
        post(other, "/api/v1/crm/leads/" + id + "/quotes", Map.of()).statusCode(404);
        get(other, "/api/v1/crm/leads/" + id + "/quotes").statusCode(404);
        get(other, "/api/v1/crm/leads").statusCode(200).body("items.id", not(hasItem(id)));
        get(token, "/api/v1/crm/leads/" + id).statusCode(200).body("status", equalTo("new"));
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        get(token, "/api/v1/crm/leads/" + UUID.randomUUID()).statusCode(404).contentType("application/problem+json");
        get(token, "/api/v1/crm/leads/not-a-uuid").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("not-a-uuid"));
        post(token, "/api/v1/crm/leads/" + UUID.randomUUID() + "/qualify", Map.of()).statusCode(404);
    }

    @Test
    void withoutAValidTokenEverythingIs401ProblemJson() {
        String id = createLead(token, lead("isp-core", 1));
        for (String bad : new String[] {null, TestTokens.expired(tenant, "operator"), TestTokens.wronglySigned(tenant, "operator")}) {
            get(bad, "/api/v1/crm/leads").statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
            get(bad, "/api/v1/crm/leads/" + id).statusCode(401).contentType("application/problem+json");
            post(bad, "/api/v1/crm/leads", lead("isp-core", 1)).statusCode(401).contentType("application/problem+json");
            post(bad, "/api/v1/crm/leads/" + id + "/qualify", Map.of()).statusCode(401).contentType("application/problem+json");
        }
        // A valid token without a tenant can do nothing either.
        get(TestTokens.withoutTenant("operator"), "/api/v1/crm/leads").statusCode(403).contentType("application/problem+json");
        get(token, "/api/v1/crm/leads/" + id).statusCode(200).body("status", equalTo("new"));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstResponse() {
        String key = unique("create");
        Map<String, Object> body = lead("isp-core", 1);
        String id = post(token, "/api/v1/crm/leads", body, key).statusCode(201).extract().path("id");
        post(token, "/api/v1/crm/leads", body, key).statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id))
                .body("organization_slug", equalTo(body.get("organization_slug")));
        get(token, "/api/v1/crm/leads").statusCode(200).body("total", equalTo(1));

        String qualifyKey = unique("qualify");
        var first = post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of(), qualifyKey).statusCode(200).extract();
        post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of(), qualifyKey).statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("status", equalTo("qualified"))
                .body("updated_at", equalTo(first.path("updated_at")));
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIs422() {
        String key = unique("create");
        post(token, "/api/v1/crm/leads", lead("isp-core", 1), key).statusCode(201);
        post(token, "/api/v1/crm/leads", lead("isp-core", 2), key).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString(key));
        // Nor may it be used for another lead's qualification.
        String id = createLead(token, lead("isp-core", 1));
        post(token, "/api/v1/crm/leads/" + id + "/qualify", Map.of(), key).statusCode(422);
        get(token, "/api/v1/crm/leads/" + id).statusCode(200).body("status", equalTo("new"));
        get(token, "/api/v1/crm/leads").statusCode(200).body("total", equalTo(2));
    }
}
