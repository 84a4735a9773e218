package io.dotmac.billing.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.billing.BillingTestSupport;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation job against the Stripe stub through the real stripe-java client and the real
 * database: a payment whose webhook was lost is completed from what Stripe says (its event emitted
 * once), one Stripe still processes is left pending and not asked again too soon, and one whose
 * request died before Stripe answered is sent again with its own keys.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class PaymentReconcilerTest {

    static final String TENANT = unique("tenant");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final Duration DAY = Duration.ofDays(1);

    @Inject
    PaymentReconciler reconciler;

    @Inject
    Pool pool;

    private String pendingPayment(String quote, String email) {
        return processPayment(OPERATOR, null, paymentBody(quote, "120.00", "USD", email)).statusCode(201)
                .body("status", equalTo("pending")).extract().path("id");
    }

    private void age(Object id) {
        BillingTestSupport.age(pool, id instanceof UUID uuid ? uuid : UUID.fromString((String) id));
    }

    private int reconcile(Duration after) {
        return BillingTestSupport.reconcile(reconciler, after);
    }

    private static int retrievals(String paymentIntentId) {
        return StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/payment_intents/" + paymentIntentId))).size();
    }

    @Test
    void aPaymentWhoseWebhookWasLostIsCompletedFromWhatStripeSaysOnce() {
        String quote = UUID.randomUUID().toString();
        String id = pendingPayment(quote, "lost." + unique("c") + "@example.com");
        String intent = get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200)
                .body("stripe_payment_intent_id", startsWith("pi_lost_")).extract().path("stripe_payment_intent_id");

        // Too recent to ask about: nothing happens.
        reconcile(DAY);
        assertEquals(0, retrievals(intent));

        age(id);
        assertTrue(reconcile(DAY) >= 1);
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("succeeded"));
        assertEquals(1, retrievals(intent));
        assertEquals(1, outboxRows(pool, quote).size(), "billing.payment.received written once");

        age(id);
        reconcile(DAY);
        assertEquals(1, retrievals(intent), "a succeeded payment is not asked about again");
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void aPaymentStripeStillProcessesStaysPendingAndIsNotAskedAboutAgainTooSoon() {
        String quote = UUID.randomUUID().toString();
        String id = pendingPayment(quote, "pending." + unique("c") + "@example.com");
        String intent = get(OPERATOR, "/api/v1/billing/payments/" + id).extract().path("stripe_payment_intent_id");

        age(id);
        reconcile(DAY);
        assertEquals(1, retrievals(intent));
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("pending"));

        reconcile(DAY);
        assertEquals(1, retrievals(intent), "asked again only once the reconciliation interval has passed since");
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void aPaymentWhoseRequestDiedBeforeStripeAnsweredIsSentAgainWithItsOwnKeys() {
        String quote = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        String keyPrefix = "died-request/payment-" + id;
        // As a request leaves it when it dies between committing the pending payment and Stripe's answer.
        pool.preparedQuery("""
                        INSERT INTO payments (id, tenant_id, quote_id, amount, currency, customer_email, status,
                                              stripe_idempotency_key, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, 'USD', $5, 'pending', $6, now() - interval '2 days', now() - interval '2 days')""")
                .execute(Tuple.of(id, TENANT, quote, new BigDecimal("55.00"), unique("c") + "@example.com", keyPrefix))
                .await().atMost(Duration.ofSeconds(10));

        reconcile(DAY);

        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("succeeded"))
                .body("stripe_payment_intent_id", startsWith("pi_"));
        assertEquals(1, StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(keyPrefix + ":payment_intent")))
                .size());
        assertEquals(1, outboxRows(pool, quote).size());
    }
}
