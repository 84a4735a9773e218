package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code shop_checkout}, started by sales.cart.checked_out on the real broker against
 * the services' stand-ins: the cart's figures go to crm as they are (crm prices and checks them),
 * the payment is opened for crm's quote, and the shop learns the quote and Stripe's page; a visitor
 * who pays is not reminded, one who does not is reminded once after the delay, and when their
 * payment's page closed unpaid the shop is told and crm lapses the quote; a cart crm refuses is failed at the shop, with nothing paid.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class ShopCheckoutWorkflowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();

    final String tenant = "shop-" + UUID.randomUUID().toString().substring(0, 8);
    final String cart = UUID.randomUUID().toString();
    final String quote = UUID.randomUUID().toString();
    final TenantWorkflows workflows = new TenantWorkflows(tenant);
    final String checkout = "/api/v1/sales/shop-checkouts/" + cart;
    final String payment = UUID.randomUUID().toString();
    final String reminder = "/api/v1/notifications/shop-reminder";
    final String cartJson = """
            {"cart_id": "%s", "customer_name": "Ada Lovelace", "customer_email": "ada@example.net",
             "company_name": "Analytical Networks", "organization_slug": "analytical-networks", "region": "eu-west",
             "billing_cycle": "annual", "currency": "USD",
             "products": [{"product_code": "isp-core", "quantity": 2, "unit_price": 2990.00},
                          {"product_code": "support-desk", "quantity": 3, "unit_price": 333.30}],
             "total_amount": 6979.90}""".formatted(cart);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        stub.stubFor(post(urlEqualTo(checkout + "/start")).willReturn(okJson(
                "{\"cart_id\": \"%s\", \"status\": \"preparing\"}".formatted(cart))));
        stub.stubFor(post(urlEqualTo(checkout + "/payment")).willReturn(okJson(
                "{\"cart_id\": \"%s\", \"status\": \"awaiting_payment\"}".formatted(cart))));
        stub.stubFor(post(urlEqualTo(checkout + "/fail")).willReturn(okJson(
                "{\"cart_id\": \"%s\", \"status\": \"failed\"}".formatted(cart))));
        stub.stubFor(post(urlEqualTo("/api/v1/billing/payments"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"id": "%s", "quote_id": "%s", "status": "pending", "amount": 6979.90, "currency": "USD",
                         "checkout_url": "https://checkout.stripe.test/c/pay/cs_%s"}""".formatted(payment, quote, cart))));
        stub.stubFor(post(urlEqualTo(reminder)).withRequestBody(matchingJsonPath("$.cart_id", WireMock.equalTo(cart)))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody(
                        "{\"id\": \"%s\", \"kind\": \"shop_reminder\", \"status\": \"sent\"}".formatted(UUID.randomUUID()))));
    }

    private void paymentIs(String status) {
        stub.stubFor(get(urlEqualTo("/api/v1/billing/payments/" + payment)).willReturn(okJson(
                "{\"id\": \"%s\", \"quote_id\": \"%s\", \"status\": \"%s\"}".formatted(payment, quote, status))));
    }

    private void crmAccepts() {
        stub.stubFor(post(urlEqualTo("/api/v1/crm/quotes/from-cart"))
                .withRequestBody(matchingJsonPath("$.cart_id", WireMock.equalTo(cart)))
                .willReturn(okJson("""
                        {"id": "%s", "status": "accepted", "total_amount": 6979.90, "currency": "USD", "cart_id": "%s"}"""
                        .formatted(quote, cart))));
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void aCheckedOutCartBecomesCrmsAcceptedQuoteAndItsPaymentPageOnceAndAPaidOneIsNotReminded() {
        crmAccepts();
        // The wait asks billing again on a backoff too, not only when woken.
        paymentIs("pending");
        checkedOut();
        checkedOut();

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("shop_checkout"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_before_reminding".equals(workflows.waitingAt(id)));
        // The cart's figures exactly as the shop gave them (crm checks them against its own prices).
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/quotes/from-cart"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":quote_from_cart"))
                .withRequestBody(equalToJson(cartJson)));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/billing/payments"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\"}")));
        // The quote as soon as crm made it, then Stripe's page.
        stub.verify(1, postRequestedFor(urlEqualTo(checkout + "/payment")).withRequestBody(equalToJson(
                "{\"quote_id\": \"%s\"}".formatted(quote))));
        stub.verify(1, postRequestedFor(urlEqualTo(checkout + "/payment")).withRequestBody(equalToJson(
                "{\"quote_id\": \"%s\", \"checkout_url\": \"https://checkout.stripe.test/c/pay/cs_%s\"}".formatted(quote, cart))));
        stub.verify(0, postRequestedFor(urlEqualTo(checkout + "/fail")));

        // The visitor pays: billing's event wakes the wait at once, long before the reminder is due.
        paymentIs("succeeded");
        paymentUpdated("succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        JsonPath done = workflows.execution(id);
        assertEquals(List.of("start_checkout", "quote_from_cart", "record_quote", "process_payment", "record_checkout",
                "wait_before_reminding", "remind_visitor", "wait_for_payment", "close_unpaid", "lapse_quote"),
                done.getList("steps.step_name"));
        assertEquals(List.of("completed", "skipped", "completed", "skipped", "skipped"), done.getList("steps.status").subList(5, 10));
        stub.verify(0, postRequestedFor(urlEqualTo(reminder)));
        stub.verify(0, postRequestedFor(urlEqualTo(checkout + "/unpaid")));
        assertEquals(1, workflows.executions("shop_checkout").size());
    }

    @Test
    void aVisitorWhoDoesNotPayIsRemindedOnceAfterTheDelayAndToldWhenThePageCloses() {
        // The tenant's own delay: a second instead of an hour.
        workflows.publishBuiltin("shop_checkout", Map.of("wait_before_reminding", 1));
        crmAccepts();
        paymentIs("pending");
        stub.stubFor(post(urlEqualTo(checkout + "/unpaid")).willReturn(okJson(
                "{\"cart_id\": \"%s\", \"status\": \"failed\"}".formatted(cart))));
        stub.stubFor(post(urlEqualTo("/api/v1/crm/quotes/" + quote + "/lapse")).willReturn(okJson(
                "{\"id\": \"%s\", \"status\": \"expired\"}".formatted(quote))));
        checkedOut();

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("shop_checkout"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> "wait_for_payment".equals(workflows.waitingAt(id)));
        JsonPath reminded = workflows.execution(id);
        assertEquals("failed", reminded.getString("steps.find { it.step_name == 'wait_before_reminding' }.status"));
        assertEquals("completed", reminded.getString("steps.find { it.step_name == 'remind_visitor' }.status"));
        // Only the cart: whom to remind of what is notification's to find out from sales and billing.
        stub.verify(1, postRequestedFor(urlEqualTo(reminder)).withHeader("Idempotency-Key", WireMock.equalTo(id + ":remind_visitor"))
                .withRequestBody(equalToJson("{\"cart_id\": \"" + cart + "\"}")));

        // The page closed unpaid (billing's payment failed): the shop is told, for the visitor to start again.
        paymentIs("failed");
        paymentUpdated("failed");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        stub.verify(1, postRequestedFor(urlEqualTo(checkout + "/unpaid")).withHeader("Idempotency-Key", WireMock.equalTo(id + ":close_unpaid"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
        stub.verify(1, postRequestedFor(urlEqualTo(reminder)));
        // crm lapses the quote, which frees the organization's name for the visitor's next cart.
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/quotes/" + quote + "/lapse"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":lapse_quote")));
    }

    @Test
    void aCartCrmRefusesIsFailedAtTheShopWithNothingPaid() {
        stub.stubFor(post(urlEqualTo("/api/v1/crm/quotes/from-cart"))
                .withRequestBody(matchingJsonPath("$.cart_id", WireMock.equalTo(cart)))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json").withBody(
                        "{\"status\": 409, \"detail\": \"isp-core: the cart says 2990.00 USD, the catalog 3090.00 USD\"}")));
        checkedOut();

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("shop_checkout"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(workflows.execution(id).getString("status")));
        stub.verify(1, postRequestedFor(urlEqualTo(checkout + "/fail"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":compensate_start_checkout")));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/billing/payments"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
        stub.verify(0, postRequestedFor(urlEqualTo(checkout + "/payment")));
    }

    private void paymentUpdated(String status) {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.payment.updated", quote, UUID.randomUUID().toString(),
                tenant, "{\"payment_id\": \"%s\", \"quote_id\": \"%s\", \"status\": \"%s\"}".formatted(payment, quote, status)))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private void checkedOut() {
        companion.produceStrings().fromRecords(CloudEvents.event("sales.cart.checked_out", cart, UUID.randomUUID().toString(),
                tenant, cartJson)).awaitCompletion(Duration.ofSeconds(30));
    }
}
