package io.dotmac.e2e;

import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Customers walked through {@code lead_to_customer} as the invariant tests need them, through
 * crm-service's and the workflow-service's APIs: a lead with two products and the execution for
 * it, the quote it waits for, and the customer sending and accepting that quote.
 */
final class Onboarding {

    /** A lead and the {@code lead_to_customer} execution started for it. */
    record Lead(String leadId, String email, String slug, String executionId) {
    }

    /** A lead whose execution generated its quote and waits for it to be accepted. */
    record Customer(Lead lead, String quoteId, String quoteNumber, List<Map<String, Object>> items) {
        String email() {
            return lead.email();
        }

        String slug() {
            return lead.slug();
        }

        String executionId() {
            return lead.executionId();
        }
    }

    private final Api api;
    private final Workflows workflows;

    Onboarding(Api api, Workflows workflows) {
        this.api = api;
        this.workflows = workflows;
    }

    /**
     * A new lead and {@code lead_to_customer} for it. The email starts with {@code emailPrefix},
     * which decides what the customer does on the Checkout page ({@link Checkout}): {@code manual}
     * and {@code pending} customers are left to the test, {@code declined} ones decline and never
     * pay, {@code lost} ones pay but Stripe's webhook never comes; anyone else pays at once.
     */
    Lead start(String emailPrefix) {
        Lead lead = create(emailPrefix);
        String executionId = workflows.start("lead_to_customer", Map.of("lead_id", lead.leadId()), "e2e-l2c-" + lead.leadId());
        return new Lead(lead.leadId(), lead.email(), lead.slug(), executionId);
    }

    /** A new lead in crm-service and nothing else: no execution drives it (its executionId is null). */
    Lead create(String emailPrefix) {
        return create(emailPrefix, null);
    }

    /** The same, for the organization slug given (null: a fresh one). */
    Lead create(String emailPrefix, String organizationSlug) {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = emailPrefix + "." + unique + "@example.com";
        String slug = organizationSlug == null ? "e2e-" + unique : organizationSlug;
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("customer_name", "Grace Hopper " + unique);
        lead.put("customer_email", email);
        lead.put("company_name", "Compiler Networks " + unique);
        lead.put("organization_slug", slug);
        lead.put("region", "eu-west");
        lead.put("products", List.of(Map.of("product_code", "isp-core", "quantity", 1),
                Map.of("product_code", "support-desk", "quantity", 2)));
        lead.put("source", "e2e");
        String leadId = api.to(Service.CRM).header("Idempotency-Key", "e2e-lead-" + unique).body(lead)
                .post("/api/v1/crm/leads").then().statusCode(201).body("status", equalTo("new")).extract().path("id");
        return new Lead(leadId, email, slug, null);
    }

    /** Waits until the lead's execution waits for its quote's acceptance; the customer with that quote. */
    Customer awaitQuote(Lead lead, Duration timeout) {
        JsonPath waiting = workflows.awaitState(lead.executionId(), timeout, "waiting for crm.quote.accepted",
                detail -> "crm.quote.accepted".equals(detail.getString("wait_event")));
        String quoteId = waiting.getString("context.quote.id");
        JsonPath quote = api.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200)
                .extract().jsonPath();
        return new Customer(lead, quoteId, quote.getString("quote_number"), quote.getList("items"));
    }

    /** The customer receives the quote and accepts it, in crm-service, which emits crm.quote.accepted. */
    void accept(Customer customer) {
        api.to(Service.CRM).header("Idempotency-Key", "e2e-send-" + customer.quoteId())
                .post("/api/v1/crm/quotes/{id}/send", customer.quoteId()).then().statusCode(200).body("status", equalTo("sent"));
        api.to(Service.CRM).header("Idempotency-Key", "e2e-accept-" + customer.quoteId())
                .body(Map.of("accepted_by", customer.email())).post("/api/v1/crm/quotes/{id}/accept", customer.quoteId())
                .then().statusCode(200).body("status", equalTo("accepted")).body("accepted_by", equalTo(customer.email()));
    }

    /**
     * A lead walked to a live customer (its lead_to_customer completed, the quote paid by the payer
     * on the stand-in's Checkout page) and the Stripe subscription their payment started.
     */
    Subscriber subscriber(String emailPrefix) {
        Customer customer = awaitQuote(start(emailPrefix), Duration.ofSeconds(60));
        accept(customer);
        workflows.awaitStatus(customer.executionId(), Duration.ofSeconds(90), "completed");
        String subscription = api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId())
                .then().statusCode(200).body("billing_interval", equalTo("month")).extract().path("stripe_subscription_id");
        return new Subscriber(customer, subscription);
    }

    record Subscriber(Customer customer, String stripeSubscription) {
    }
}
