package io.dotmac.e2e;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The money path held by the services that own the data, whoever calls them: an operator's direct
 * requests and a forged event get no price of their own, no license, no order activation and no
 * welcome email for a quote that was not paid. The customer's card is declined on the Checkout page
 * and they never pay, so the journey that the acceptance starts ends {@code failed}, "payment not received",
 * once the page expires, with nothing provisioned.
 */
@ExtendWith(SuiteExtension.class)
class MoneyPathGuardsIT {

    private static final String PAYMENTS = "/api/v1/billing/payments";

    @Test
    void nothingIsChargedAtTheCallersPriceNorProvisionedLicensedOrWelcomedWithoutASucceededPayment(Suite suite) {
        String tenant = suite.newTenant("guards");
        Api api = new Api(suite, TestTokens.token(tenant, "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding.Lead lead = new Onboarding(api, workflows).create("declined");
        api.to(Service.CRM).post("/api/v1/crm/leads/{id}/qualify", lead.leadId()).then().statusCode(200)
                .body("status", equalTo("qualified"));
        JsonPath quote = api.to(Service.CRM).post("/api/v1/crm/leads/{id}/quotes", lead.leadId()).then().statusCode(201)
                .body("status", equalTo("draft")).extract().jsonPath();
        String quoteId = quote.getString("id");
        String total = quote.getString("total_amount");
        List<Map<String, Object>> products = quote.getList("items");

        // A draft quote: a price of the caller's is refused first, then the quote's state.
        api.to(Service.BILLING).body(Map.of("quote_id", quoteId, "amount", 0.01, "currency", "USD")).post(PAYMENTS)
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", allOf(containsString("0.01"), containsString(total)));
        api.to(Service.BILLING).body(Map.of("quote_id", quoteId)).post(PAYMENTS)
                .then().statusCode(409).body("detail", containsString("draft"));
        api.to(Service.BILLING).get(PAYMENTS + "/by-quote/{id}", quoteId).then().statusCode(404);
        issueLicenses(api, lead, quoteId, products).statusCode(409).body("detail", containsString("no payment"));

        // A forged billing.payment.received: payment_received asks billing, finds no payment, issues nothing.
        try (EventTap tap = EventTap.open(suite, "guards", List.of(Suite.WORKFLOW_TOPICS.get(1)))) {
            tap.forge("billing.payment.received", quoteId, tenant, "{\"quote_id\": \"" + quoteId + "\", \"amount\": \"0.01\"}");
        }
        List<Map<String, Object>> forged = workflows.awaitAllEnded(Map.of("payment_received", 1), Duration.ofSeconds(60));
        assertEquals("failed", forged.get(0).get("status"), Workflows.summaries(forged));
        assertNoLicenses(api, lead);

        // Accepted without a journey of its own: quote_accepted takes the payment and emails the Checkout
        // page, where the card is declined (the suite's payer, for "declined" customers). The page stays
        // open for another try; nobody makes one, so the journey ends when it expires (its vendor expires it).
        api.to(Service.CRM).post("/api/v1/crm/quotes/{id}/send", quoteId).then().statusCode(200);
        api.to(Service.CRM).body(Map.of("accepted_by", lead.email())).post("/api/v1/crm/quotes/{id}/accept", quoteId)
                .then().statusCode(200).body("status", equalTo("accepted"));
        String journey = awaitQuoteAccepted(workflows, quoteId);
        org.awaitility.Awaitility.await("the card declined on the page").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonPath payment = api.to(Service.BILLING).get(PAYMENTS + "/by-quote/{id}", quoteId).then().extract().jsonPath();
                    return payment.getString("id") != null && Checkout.declines(suite, payment.getString("id")) == 1;
                });
        String page = api.to(Service.BILLING).get(PAYMENTS + "/by-quote/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("pending")).extract().path("checkout_url");
        assertEquals("waiting", workflows.execution(journey).getString("status"), "the journey after a decline");
        // The vendor expires the page in Stripe's dashboard rather than the test waiting for it to close.
        Checkout.expire(suite, page);
        JsonPath failed = workflows.awaitStatus(journey, Duration.ofSeconds(60), "failed");
        String why = failed.getString("error_message");
        assertTrue(why != null && why.contains("payment not received: the checkout session expired unpaid"), why);
        // Nothing was paid, so nothing is refunded: the only undo is the email.
        assertEquals(List.of("compensate_process_payment=completed"), failed.<Map<String, Object>>getList("steps").stream()
                .filter(step -> "compensation".equals(step.get("step_type"))).map(step -> step.get("step_name") + "=" + step.get("status"))
                .toList(), Workflows.describe(failed));
        api.to(Service.BILLING).get(PAYMENTS + "/by-quote/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("failed")).body("amount", comparesEqualTo(new BigDecimal(total)));
        api.to(Service.BILLING).body(Map.of("quote_id", quoteId, "amount", 0.01, "currency", "USD")).post(PAYMENTS)
                .then().statusCode(422);

        // An operator going around the journey: an order may exist, but not be submitted or processed.
        String orderId = api.to(Service.SALES).body(Map.of("quote_id", quoteId)).post("/api/v1/sales/orders/from-quote")
                .then().statusCode(201).extract().path("id");
        api.to(Service.SALES).body(Map.of("auto_activate", true)).post("/api/v1/sales/orders/{id}/submit", orderId)
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("failed"));
        api.to(Service.SALES).post("/api/v1/sales/orders/{id}/process", orderId).then().statusCode(409);
        api.to(Service.SALES).get("/api/v1/sales/orders/{id}", orderId).then().statusCode(200)
                .body("status", equalTo("draft")).body("tenant", nullValue()).body("deployment", nullValue());
        issueLicenses(api, lead, quoteId, products).statusCode(409).body("detail", containsString("failed"));
        api.to(Service.NOTIFICATION).body(Map.of("customer_email", lead.email(), "tenant_subdomain", lead.slug()))
                .post("/api/v1/notifications/welcome-email").then().statusCode(409).body("detail", containsString(lead.slug()));

        // A closed page is no reason to email it again: the request answers with the email sent before.
        api.to(Service.NOTIFICATION).body(Map.of("quote_id", quoteId)).post("/api/v1/notifications/payment-request")
                .then().statusCode(200).body("kind", equalTo("payment_request"));

        assertNoLicenses(api, lead);
        // The customer was asked to pay, then told the payment never came (the journey's undo of
        // process_payment); never welcomed. Newest first.
        api.to(Service.NOTIFICATION).queryParam("recipient", lead.email()).get("/api/v1/notifications").then().statusCode(200)
                .body("items.kind", equalTo(List.of("journey_failed", "payment_request")));
        assertEquals(2, Effects.messagesTo(suite, lead.email()).size(), "emails to " + lead.email());
    }

    private static io.restassured.response.ValidatableResponse issueLicenses(Api api, Onboarding.Lead lead, String quoteId,
                                                                               List<Map<String, Object>> items) {
        return api.to(Service.LICENSING).body(Map.of("customer_id", lead.slug(), "source_id", quoteId, "products",
                        items.stream().map(i -> Map.of("product_code", i.get("product_code"), "quantity", i.get("quantity"))).toList()))
                .post("/api/v1/licenses").then();
    }

    private static void assertNoLicenses(Api api, Onboarding.Lead lead) {
        api.to(Service.LICENSING).queryParam("customer_id", lead.slug()).get("/api/v1/licenses").then().statusCode(200)
                .body("total", equalTo(0));
    }

    private static String awaitQuoteAccepted(Workflows workflows, String quoteId) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> workflows.list(quoteId).stream()
                        .filter(e -> "quote_accepted".equals(e.get("workflow_name"))).map(e -> (String) e.get("id")).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }
}
