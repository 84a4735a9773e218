package io.dotmac.crm.quote.rest;

import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.products;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.sentQuote;
import static io.dotmac.crm.CrmApi.tokenOf;
import static io.dotmac.crm.CrmApi.unique;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.crm.testing.SalesStub;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seat changes: a quote of kind change for an accepted quote's subscription, priced from the
 * catalog as its new whole, sent and accepted like any quote but without touching the lead or its
 * slug, and published with its kind so that its journey is not a new customer's.
 */
@QuarkusTest
class QuoteChangeTest {

    final String tenant = newTenant();
    final String token = tokenOf(tenant);

    @Inject
    Pool pool;

    private String acceptedQuote() {
        String quote = sentQuote(token, "isp-core", 1, "support-desk", 3);
        post(token, QuoteResourceTest.path(quote, "accept"), Map.of()).statusCode(200);
        return quote;
    }

    private String change(String quote, Object... seats) {
        return post(token, QuoteResourceTest.path(quote, "changes"), Map.of("products", products(seats))).statusCode(201)
                .extract().path("id");
    }

    @Test
    void aChangeIsTheSubscriptionsNewWholeAtCatalogPricesAcceptedWithoutTheLead() {
        String subscribed = acceptedQuote();
        var original = get(token, "/api/v1/crm/quotes/" + subscribed).statusCode(200).body("kind", equalTo("new"))
                .body("changes_quote_id", nullValue()).extract();

        String change = post(token, QuoteResourceTest.path(subscribed, "changes"),
                Map.of("products", products("isp-core", 1, "support-desk", 5))).statusCode(201)
                .header("Location", containsString("/api/v1/crm/quotes/"))
                .body("kind", equalTo("change"))
                .body("changes_quote_id", equalTo(subscribed))
                .body("status", equalTo("draft"))
                .body("lead_id", equalTo(original.path("lead_id")))
                .body("organization_slug", equalTo(original.path("organization_slug")))
                .body("customer_email", equalTo(original.path("customer_email")))
                .body("items.quantity", contains(1, 5))
                .body("total_amount", equalTo(new BigDecimal("465.65")))
                .extract().path("id");

        post(token, QuoteResourceTest.path(change, "send"), Map.of()).statusCode(200);
        post(token, QuoteResourceTest.path(change, "accept"), Map.of()).statusCode(200).body("status", equalTo("accepted"));
        // The lead stays converted, its first quote accepted: the change is one more accepted quote of it.
        get(token, "/api/v1/crm/leads/" + original.path("lead_id")).statusCode(200).body("status", equalTo("converted"));
        get(token, "/api/v1/crm/quotes/" + subscribed).statusCode(200).body("status", equalTo("accepted"));

        String data = outboxData(change);
        assertEquals(true, data.contains("\"kind\": \"change\""), data);
        assertEquals(true, data.contains("\"changes_quote_id\": \"" + subscribed + "\""), data);

        // A change of a change changes the same subscription.
        String next = change(change, "isp-core", 1, "support-desk", 2);
        get(token, "/api/v1/crm/quotes/" + next).statusCode(200).body("changes_quote_id", equalTo(subscribed));
    }

    @Test
    void aRejectedChangeLeavesTheCustomersSlugTheirs() {
        String subscribed = acceptedQuote();
        String change = change(subscribed, "isp-core", 2);
        post(token, QuoteResourceTest.path(change, "send"), Map.of()).statusCode(200);
        post(token, QuoteResourceTest.path(change, "reject"), Map.of("reason", "not now")).statusCode(200);
        String slug = get(token, "/api/v1/crm/quotes/" + subscribed).extract().path("organization_slug");
        SalesStub.server().verify(0, deleteRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug))));
    }

    @Test
    void onlyAnAcceptedQuotesSeatsChangeAndOnlyToWhatALeadCouldAskFor() {
        String sent = sentQuote(token, "isp-core", 1);
        post(token, QuoteResourceTest.path(sent, "changes"), Map.of("products", products("isp-core", 2))).statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("is sent; only the seats of an accepted quote"));

        String subscribed = acceptedQuote();
        post(token, QuoteResourceTest.path(subscribed, "changes"), Map.of("products", products("no-such-product", 2))).statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("'no-such-product' is not in the catalog"));
        post(token, QuoteResourceTest.path(subscribed, "changes"), Map.of("products", products("isp-core", 0))).statusCode(422)
                .body("detail", containsString("quantity of 'isp-core' must be between"));
        post(token, QuoteResourceTest.path(subscribed, "changes"), Map.of("products", products("isp-core", 1, "isp-core", 2)))
                .statusCode(422).body("detail", containsString("listed more than once"));
        post(token, QuoteResourceTest.path(subscribed, "changes"), Map.of("products", products())).statusCode(400)
                .contentType("application/problem+json");
        post(token, QuoteResourceTest.path(subscribed, "changes"), Map.of()).statusCode(400);
        post(token, QuoteResourceTest.path(UUID.randomUUID().toString(), "changes"), Map.of("products", products("isp-core", 2)))
                .statusCode(404);
        // Another tenant's quote is not found; a reader may not change seats.
        post(tokenOf(newTenant()), QuoteResourceTest.path(subscribed, "changes"), Map.of("products", products("isp-core", 2)))
                .statusCode(404);
        post(TestTokens.token(tenant, "reader"), QuoteResourceTest.path(subscribed, "changes"),
                Map.of("products", products("isp-core", 2))).statusCode(403);
    }

    @Test
    void aRepeatedRequestWithItsKeyMakesOneChange() {
        String subscribed = acceptedQuote();
        String key = unique("change");
        Map<String, Object> body = Map.of("products", products("isp-core", 3));
        String first = post(token, QuoteResourceTest.path(subscribed, "changes"), body, key).statusCode(201).extract().path("id");
        post(token, QuoteResourceTest.path(subscribed, "changes"), body, key).statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
    }

    private String outboxData(String quote) {
        return pool.preparedQuery("SELECT CAST(payload AS text) FROM outbox_events WHERE event_key = $1").execute(Tuple.of(quote))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
