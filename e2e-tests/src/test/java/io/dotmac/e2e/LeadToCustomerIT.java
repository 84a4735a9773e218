package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's scenario, through the public REST APIs only: a lead is created in crm-service and
 * {@code lead_to_customer} started for it; the workflow qualifies it, generates a quote and waits;
 * the customer accepts the quote in crm-service, whose {@code crm.quote.accepted} event wakes the
 * execution, which opens the payment's Checkout page (Stripe stand-in) and emails the customer its
 * link (GreenMail); the customer pays there, and the execution issues the licenses, creates and
 * processes the order and sends the welcome email.
 */
@ExtendWith(SuiteExtension.class)
class LeadToCustomerIT {

    /** lead_to_customer's steps, in order (workflow-service/src/main/resources/workflows/lead_to_customer.json). */
    static final List<String> STEPS = List.of("qualify_lead", "lead_is_qualified", "generate_quote",
            "wait_for_quote_acceptance", "process_payment", "send_payment_link", "wait_for_payment", "payment_received", "issue_license", "create_order",
            "activate_order", "send_welcome");
    static final Set<String> SERVICE_CALLS = Set.of("qualify_lead", "generate_quote", "process_payment", "send_payment_link", "issue_license",
            "create_order", "activate_order", "send_welcome");

    @Test
    @SuppressWarnings("unchecked")
    void aLeadBecomesALiveCustomer(Suite suite) throws Exception {
        String tenant = suite.newTenant("l2c");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);
        Instant began = Instant.now();
        Map<String, Instant> marks = new LinkedHashMap<>();

        // 1. A lead with two products; lead_to_customer for it ("manual": this test pays, not the suite's payer).
        Onboarding.Lead lead = onboarding.start("manual");
        String leadId = lead.leadId();
        String email = lead.email();
        String slug = lead.slug();
        marks.put("lead created, execution started", Instant.now());

        // 2. Qualified, quoted, waiting for the acceptance, woken by crm.quote.accepted for this quote.
        JsonPath waiting = workflows.awaitStatus(lead.executionId(), Duration.ofSeconds(60), "waiting");
        marks.put("execution waiting", Instant.now());
        String quoteId = waiting.getString("context.quote.id");
        assertNotNull(quoteId, "the execution's context has the generated quote:\n" + Workflows.describe(waiting));
        assertAll("the waiting execution",
                () -> assertEquals("waiting", stepNamed(waiting, "wait_for_quote_acceptance").get("status")),
                () -> assertEquals("crm.quote.accepted", waiting.getString("wait_event")),
                () -> assertEquals(quoteId, waiting.getString("wait_key")),
                () -> assertEquals("qualified", waiting.getString("context.lead.status")));

        // 3. The customer accepts the quote in crm-service: send it, then accept it.
        JsonPath quotes = api.to(Service.CRM).get("/api/v1/crm/leads/{id}/quotes", leadId)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1, quotes.getList("items").size(), "one quote for the lead");
        assertEquals(quoteId, quotes.getString("items[0].id"));
        assertEquals("draft", quotes.getString("items[0].status"));
        String quoteNumber = quotes.getString("items[0].quote_number");
        BigDecimal total = quotes.getObject("items[0].total_amount", BigDecimal.class);
        String currency = quotes.getString("items[0].currency");
        List<Map<String, Object>> items = quotes.getList("items[0].items");

        onboarding.accept(new Onboarding.Customer(lead, quoteId, quoteNumber, items));
        marks.put("quote sent and accepted", Instant.now());

        // 3b. The customer receives the "pay here" email and pays on the Checkout page it links to.
        String page = Checkout.link(suite, email, Duration.ofSeconds(60));
        assertTrue(page.startsWith(suite.stripeUrl() + "/checkout/pay/cs_"), "the email links to the Checkout page: " + page);
        marks.put("'pay here' email received", Instant.now());
        Checkout.pay(page);
        marks.put("paid on the Checkout page", Instant.now());

        // The waiting condition is re-checked every 10 minutes in this suite: only the event wakes it in time.
        JsonPath done = workflows.awaitStatus(lead.executionId(), Duration.ofSeconds(90), "completed");
        marks.put("execution completed", Instant.now());

        // 4a. The execution and every step completed, in order, with their inputs and outputs.
        List<Map<String, Object>> steps = done.getList("steps");
        String report = Workflows.describe(done);
        assertEquals(STEPS, steps.stream().map(s -> s.get("step_name")).toList(), "the steps, in order:\n" + report);
        OffsetDateTime previousEnd = null;
        int previousSequence = -1;
        for (Map<String, Object> step : steps) {
            String name = (String) step.get("step_name");
            assertEquals("completed", step.get("status"), name + ":\n" + report);
            assertEquals(1, ((Number) step.get("run_number")).intValue(), name + " ran in the first run");
            int sequence = ((Number) step.get("sequence_number")).intValue();
            assertTrue(sequence > previousSequence, name + " comes after the step before it:\n" + report);
            previousSequence = sequence;
            assertNotNull(step.get("started_at"), name + " started_at");
            assertNotNull(step.get("completed_at"), name + " completed_at");
            OffsetDateTime started = OffsetDateTime.parse((String) step.get("started_at"));
            OffsetDateTime completed = OffsetDateTime.parse((String) step.get("completed_at"));
            assertFalse(completed.isBefore(started), name + " completed before it started:\n" + report);
            if (previousEnd != null) {
                assertFalse(started.isBefore(previousEnd), name + " started before the step before it completed:\n" + report);
            }
            previousEnd = completed;
            if (SERVICE_CALLS.contains(name)) {
                assertTrue(step.get("input_data") instanceof Map<?, ?> in && !in.isEmpty(), name + " has its input: " + step);
                assertTrue(step.get("output_data") instanceof Map<?, ?> out && !out.isEmpty(), name + " has its output: " + step);
            } else {
                // a condition records its expression and what it came to
                assertTrue(step.get("output_data") instanceof Map<?, ?> out && Boolean.TRUE.equals(out.get("value")),
                        name + " was true: " + step);
            }
        }
        assertEquals("completed", done.getString("status"));
        assertEquals("manual", done.getString("trigger_type"));
        assertEquals(Map.of("lead_id", leadId), stepNamed(done, "qualify_lead").get("input_data"));
        assertEquals("qualified", output(done, "qualify_lead").get("status"));
        assertEquals(quoteId, output(done, "generate_quote").get("id"));
        // The workflow names only the quote; billing takes the price and the customer from the quote itself.
        assertEquals(Map.of("quote_id", quoteId), stepNamed(done, "process_payment").get("input_data"));
        Map<String, Object> paid = output(done, "process_payment");
        assertAll("process_payment's output " + paid,
                () -> assertEquals(0, total.compareTo(new BigDecimal(String.valueOf(paid.get("amount"))))),
                () -> assertEquals(currency, paid.get("currency")),
                () -> assertEquals(email, paid.get("customer_email")));
        // Pending when taken: the customer pays on the page, whose webhook settles it.
        assertEquals("pending", paid.get("status"));
        assertEquals(page, paid.get("checkout_url"));
        assertEquals("succeeded", done.getString("context.payment.status"));

        // 4b. The order: active, QUOTE-<number>, a customer tenant and a deployment, every activation completed.
        String externalOrderId = "QUOTE-" + quoteNumber;
        JsonPath order = api.to(Service.SALES).get("/api/v1/sales/orders/by-external-id/{id}", externalOrderId)
                .then().statusCode(200).extract().jsonPath();
        String tenantUrl = "https://" + slug + "." + Suite.TENANT_BASE_DOMAIN;
        assertAll("order " + externalOrderId,
                () -> assertEquals("active", order.getString("status")),
                () -> assertEquals(externalOrderId, order.getString("external_order_id")),
                () -> assertEquals(quoteId, order.getString("quote_id")),
                () -> assertEquals(done.getString("context.order.id"), order.getString("id")),
                () -> assertEquals(slug, order.getString("organization_slug")),
                () -> assertNotNull(order.getString("tenant.id"), "customer tenant"),
                () -> assertEquals(slug, order.getString("tenant.slug")),
                () -> assertEquals(order.getString("tenant.id"), order.getString("tenant_id")),
                () -> assertNotNull(order.getString("deployment.id"), "deployment"),
                () -> assertEquals("eu-west", order.getString("deployment.region")),
                () -> assertEquals(tenantUrl, order.getString("deployment.endpoint_url")),
                () -> assertFalse(order.getList("activations").isEmpty(), "service activations"),
                () -> assertEquals(Set.of("completed"), Set.copyOf(order.getList("activations.status"))),
                () -> assertNotNull(order.getString("activated_at")));
        assertEquals(1, api.to(Service.SALES).get("/api/v1/sales/orders").then().statusCode(200)
                .extract().jsonPath().getInt("total"), "one order for the tenant");

        // 4c. One payment, succeeded, and one Checkout Session asked of Stripe for the quote.
        JsonPath payment = api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId)
                .then().statusCode(200).extract().jsonPath();
        assertAll("payment of quote " + quoteId,
                () -> assertEquals("succeeded", payment.getString("status")),
                () -> assertEquals(0, total.compareTo(payment.getObject("amount", BigDecimal.class))),
                () -> assertEquals(currency, payment.getString("currency")),
                () -> assertEquals(email, payment.getString("customer_email")),
                // Paid as the first invoice of a subscription billed every month or year.
                () -> assertTrue(payment.getString("stripe_subscription_id").startsWith("sub_")),
                () -> assertTrue(List.of("month", "year").contains(payment.getString("billing_interval"))),
                () -> assertEquals(done.getString("context.payment.id"), payment.getString("id")));
        assertEquals(1, api.to(Service.BILLING).get("/api/v1/billing/payments").then().statusCode(200)
                .extract().jsonPath().getInt("total"), "one payment for the tenant");
        List<LoggedRequest> sessions = suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(WireMock.containing(quoteId)));
        assertEquals(1, sessions.size(), "Checkout Sessions created at Stripe for the quote");
        // 4c'. The subscription paying started, as Stripe Billing's webhooks told billing: active, its first invoice paid.
        await("the quote's subscription").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> api.to(Service.BILLING).queryParam("quote_id", quoteId).get("/api/v1/billing/subscriptions")
                        .then().statusCode(200).body("total", equalTo(1))
                        .body("items[0].stripe_subscription_id", equalTo(payment.getString("stripe_subscription_id")))
                        .body("items[0].status", equalTo("active")));

        // 4d. One license per product, each verified by licensing-service and offline with its public key.
        JsonPath licenses = api.to(Service.LICENSING).queryParam("customer_id", slug).queryParam("size", 100)
                .get("/api/v1/licenses").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> issued = licenses.getList("items");
        assertEquals(items.size(), issued.size(), "a license per quote item: " + issued);
        assertEquals(items.stream().map(i -> i.get("product_code")).collect(Collectors.toSet()),
                issued.stream().map(l -> l.get("product_code")).collect(Collectors.toSet()));
        JsonPath publicKey = api.anonymous(Service.LICENSING).get("/api/v1/licenses/public-key")
                .then().statusCode(200).body("algorithm", equalTo("Ed25519")).extract().jsonPath();
        PublicKey key = ed25519(publicKey.getString("public_key_pem"));
        for (Map<String, Object> license : issued) {
            String licenseKey = (String) license.get("license_key");
            assertEquals(quoteId, license.get("source_id"));
            assertEquals("active", license.get("status"));
            assertEquals(publicKey.getString("key_id"), license.get("key_id"));
            int quantity = items.stream().filter(i -> i.get("product_code").equals(license.get("product_code")))
                    .mapToInt(i -> ((Number) i.get("quantity")).intValue()).findFirst().orElseThrow();
            assertEquals(quantity, ((Number) license.get("seats")).intValue(), "seats of " + license.get("product_code"));
            api.anonymous(Service.LICENSING).body(Map.of("key", licenseKey)).post("/api/v1/licenses/verify")
                    .then().statusCode(200).body("valid", equalTo(true)).body("license_id", equalTo(license.get("id")))
                    .body("customer_id", equalTo(slug)).body("product_code", equalTo(license.get("product_code")));
            JsonPath claims = verifyOffline(key, licenseKey);
            assertEquals(license.get("id"), claims.getString("license_id"));
            assertEquals(slug, claims.getString("customer_id"));
            assertEquals(license.get("product_code"), claims.getString("product_code"));
            assertEquals(publicKey.getString("key_id"), claims.getString("kid"));
            assertTrue(Instant.parse(claims.getString("expires_at")).isAfter(Instant.now()));
        }

        // Every execution the scenario set off in this tenant ends: the built-in payment_received, started
        // by billing.payment.received, too. crm.quote.accepted started no quote_accepted: the quote's
        // lead_to_customer drove it, and one accepted quote runs one journey.
        List<Map<String, Object>> all = workflows.awaitAllEnded(
                Map.of("lead_to_customer", 1, "payment_received", 1), Duration.ofSeconds(60));
        assertEquals(List.of("lead_to_customer", "payment_received"),
                all.stream().map(e -> (String) e.get("workflow_name")).sorted().toList(), Workflows.summaries(all));
        marks.put("all executions finished", Instant.now());

        // 4e. Exactly two emails, to the customer: the "pay here" one, then the welcome with the tenant
        // URL. Once a record is sent, the server has accepted its email and nothing sends it again: no
        // wait for a second copy. The list is newest first.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                api.to(Service.NOTIFICATION).queryParam("recipient", email).get("/api/v1/notifications").then().statusCode(200)
                        .body("total", equalTo(2)).body("items.status", equalTo(List.of("sent", "sent")))
                        .body("items[0].tenant_url", equalTo(tenantUrl)).body("items[0].kind", startsWith("welcome"))
                        .body("items[1].kind", equalTo("payment_request")));
        List<MimeMessage> mails = Effects.messagesTo(suite, email);
        assertEquals(2, mails.size(), "emails to " + email);
        MimeMessage mail = mails.stream().filter(m -> Checkout.pageIn(m).isEmpty()).findFirst().orElseThrow();
        String body = Checkout.text(mail);
        assertTrue(body.contains(tenantUrl), "the email names " + tenantUrl + ":\n" + body);
        assertTrue(mail.getSubject() != null && !mail.getSubject().isBlank(), "a subject");

        Map<String, String> effects = new LinkedHashMap<>();
        effects.put("payment " + payment.getString("id") + " succeeded", payment.getString("succeeded_at"));
        effects.put("order " + externalOrderId + " activated", order.getString("activated_at"));
        printTimeline(done, all, marks, began, effects, tenant, quoteNumber, mail.getSubject());
        assertEquals(Set.of("completed"), all.stream().map(e -> e.get("status")).collect(Collectors.toSet()),
                "every execution of the tenant completed: " + Workflows.summaries(all));
    }

    // -- helpers

    private static Map<String, Object> stepNamed(JsonPath detail, String name) {
        List<Map<String, Object>> steps = detail.getList("steps");
        return steps.stream().filter(s -> name.equals(s.get("step_name"))).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no step " + name + ":\n" + Workflows.describe(detail)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> output(JsonPath detail, String step) {
        Object output = stepNamed(detail, step).get("output_data");
        return output instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static PublicKey ed25519(String pem) throws Exception {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** A license key is base64url(payload) "." base64url(Ed25519 signature over the payload): checked with the JDK alone. */
    private static JsonPath verifyOffline(PublicKey key, String licenseKey) throws Exception {
        String[] parts = licenseKey.split("\\.");
        assertEquals(2, parts.length, "a license key is payload.signature");
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        signature.update(payload);
        assertTrue(signature.verify(Base64.getUrlDecoder().decode(parts[1])), "the key's Ed25519 signature verifies offline");
        return JsonPath.from(new String(payload, StandardCharsets.UTF_8));
    }

    private static void printTimeline(JsonPath done, List<Map<String, Object>> all, Map<String, Instant> marks,
                                      Instant began, Map<String, String> effects, String tenant, String quoteNumber,
                                      String subject) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n[e2e] lead_to_customer, tenant %s, quote %s: %d ms from the lead to the last execution%n",
                tenant, quoteNumber, Duration.between(began, marks.get("all executions finished")).toMillis()));
        marks.forEach((what, at) -> out.append(String.format("  %8s  (test) %s%n",
                String.format("+%.3fs", Duration.between(began, at).toMillis() / 1000.0), what)));
        out.append("  ").append(Workflows.describe(done).replace("\n", "\n  ")).append('\n');
        List<Map<String, Object>> others = new ArrayList<>(all);
        others.removeIf(e -> e.get("id").equals(done.getString("id")));
        others.sort(Comparator.comparing(e -> (String) e.get("created_at")));
        for (Map<String, Object> e : others) {
            out.append(String.format("  also: %s %s %s, trigger %s %s%n", e.get("workflow_name"), e.get("id"),
                    e.get("status"), e.get("trigger_type"), e.get("trigger_source")));
        }
        OffsetDateTime created = OffsetDateTime.parse(done.getString("created_at"));
        effects.forEach((what, at) -> out.append(String.format("  %8s  %s%n", Workflows.offset(created, at), what)));
        out.append("  welcome email: \"").append(subject).append('"');
        System.out.println(out);
    }
}
