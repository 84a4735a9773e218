package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.dotmac.notification.notification.rest.QuotePaymentEmailContract.noneListed;
import static io.dotmac.notification.notification.rest.QuotePaymentEmailContract.post;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The reminder of a shop checkout left unpaid, over HTTP with real tokens, to a real SMTP server on
 * loopback, with sales-service (the checkout) and billing-service (its quote's payment) served by
 * the stub over real HTTP: it goes to billing's customer, with billing's amount and page and the
 * shop's order page, once per checkout however often and concurrently asked, and never for a
 * checkout that is paid, failed or not the caller's tenant's.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class ShopReminderApiTest {

    static final String PATH = "/api/v1/notifications/shop-reminder";
    static final String TENANT = "tenant-shop-" + UUID.randomUUID().toString().substring(0, 8);
    static final BigDecimal AMOUNT = new BigDecimal("697.99");
    static final OffsetDateTime OPEN_UNTIL = OffsetDateTime.parse("2099-03-04T07:06:00+02:00");

    final String engine = TestTokens.engine(TENANT);

    /** A checked-out cart awaiting payment of its quote on an open Checkout page, as the two services report it. */
    record Unpaid(String cartId, String quoteId, String email, String checkoutUrl, String orderUrl) {

        static Unpaid served() {
            String cartId = UUID.randomUUID().toString();
            Unpaid unpaid = new Unpaid(cartId, "Q-" + UUID.randomUUID().toString().substring(0, 8), WelcomeEmailApiTest.email(),
                    "https://checkout.stripe.com/c/pay/cs_test_" + UUID.randomUUID().toString().replace("-", ""),
                    "https://shop.test/shop/#/order/" + cartId);
            SalesStub.shopCheckout(cartId, "awaiting_payment", unpaid.quoteId, "Ada Lovelace", unpaid.orderUrl);
            SalesStub.checkout(unpaid.quoteId, "pending", AMOUNT, "USD", unpaid.email, unpaid.checkoutUrl, OPEN_UNTIL);
            return unpaid;
        }
    }

    ValidatableResponse remind(String token, String cartId) {
        return post(PATH, token, UUID.randomUUID().toString(), Map.of("cart_id", cartId));
    }

    @Test
    void theVisitorIsRemindedOnceWithThePageToPayOnAndTheirOrder() throws Exception {
        Unpaid unpaid = Unpaid.served();
        String subject = "Your DotMac order of USD 697.99 is waiting for payment";

        // The engine retrying its step, and a concurrent repeat: one email.
        Callable<String> ask = () -> remind(engine, unpaid.cartId()).statusCode(202).extract().path("id");
        var pool = Executors.newFixedThreadPool(4);
        List<String> ids = new ArrayList<>();
        try {
            for (var id : pool.invokeAll(IntStream.range(0, 4).mapToObj(i -> ask).toList())) {
                if (!ids.contains(id.get())) {
                    ids.add(id.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ids.size(), "one reminder: " + ids);
        remind(engine, unpaid.cartId()).statusCode(202).body("id", equalTo(ids.get(0)))
                .body("kind", equalTo("shop_reminder")).body("recipient", equalTo(unpaid.email()))
                .body("customer_name", equalTo("Ada Lovelace")).body("subject", equalTo(subject))
                .body("status", equalTo("sent")).body("quote_id", equalTo(unpaid.quoteId()))
                .body("payment_url", equalTo(unpaid.checkoutUrl())).body("order_url", equalTo(unpaid.orderUrl()))
                .body("amount", comparesEqualTo(AMOUNT)).body("currency", equalTo("USD"));
        // Both services were asked on the caller's behalf.
        SalesStub.server().verify(getRequestedFor(urlEqualTo("/api/v1/sales/shop-checkouts/" + unpaid.cartId()))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + engine)));

        List<MimeMessage> received = SmtpServer.messagesTo(unpaid.email());
        assertEquals(1, received.size());
        assertEquals(subject, received.get(0).getSubject());
        String html = WelcomeEmailApiTest.part(received.get(0), "text/html");
        String text = WelcomeEmailApiTest.part(received.get(0), "text/plain");
        for (String part : List.of(html, text)) {
            assertTrue(part.contains("Hello Ada Lovelace,"), part);
            assertTrue(part.contains("USD 697.99"), part);
            assertTrue(part.contains(unpaid.checkoutUrl()), part);
            assertTrue(part.contains("4 March 2099, 05:06 UTC"), part);
            assertTrue(part.contains(unpaid.orderUrl()), part);
        }
        assertTrue(html.contains("href=\"" + unpaid.orderUrl() + "\""), html);
    }

    @Test
    void noReminderOfACheckoutThatIsNotAwaitingPaymentNorOfAnotherTenants() {
        Unpaid unpaid = Unpaid.served();
        String cartId = unpaid.cartId();

        SalesStub.shopCheckout(cartId, "paid", unpaid.quoteId(), "Ada Lovelace", unpaid.orderUrl());
        refused(remind(engine, cartId), cartId, "its checkout is paid, not awaiting payment");
        SalesStub.shopCheckout(cartId, "failed", null, "Ada Lovelace", unpaid.orderUrl());
        refused(remind(engine, cartId), cartId, "its checkout is failed, not awaiting payment");
        SalesStub.shopCheckout(cartId, "awaiting_payment", unpaid.quoteId(), "Ada Lovelace", null);
        refused(remind(engine, cartId), cartId, "no order page");
        // sales says awaiting payment, but billing has the money already (the order is being made).
        SalesStub.shopCheckout(cartId, "awaiting_payment", unpaid.quoteId(), "Ada Lovelace", unpaid.orderUrl());
        SalesStub.checkout(unpaid.quoteId(), "succeeded", AMOUNT, "USD", unpaid.email(), unpaid.checkoutUrl(), OPEN_UNTIL);
        remind(engine, cartId).statusCode(409).body("detail", allOf(containsString("No shop reminder for quote " + unpaid.quoteId()),
                containsString("is already paid")));
        // sales-service answers 404 for another tenant's cart, as for none.
        SalesStub.answerShopCheckout(cartId, aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\": 404, \"detail\": \"No checked-out cart\"}"));
        refused(remind(engine, cartId), cartId, "sales-service has no checked-out cart " + cartId);
        noneListed(TestTokens.token(TENANT, "reader"), unpaid.email());
        assertTrue(SmtpServer.messagesTo(unpaid.email()).isEmpty());
    }

    @Test
    void salesDownIsARetryable503AndTheBodyIsOnlyTheCart() {
        Unpaid unpaid = Unpaid.served();
        SalesStub.answerShopCheckout(unpaid.cartId(), aResponse().withStatus(500));
        remind(engine, unpaid.cartId()).statusCode(503).contentType("application/problem+json");
        post(PATH, engine, null, Map.of("cart_id", "not-a-cart")).statusCode(400);
        post(PATH, engine, null, Map.of()).statusCode(400).body("detail", containsString("cart_id"));
        remind(TestTokens.token(TENANT, "reader"), unpaid.cartId()).statusCode(403);
        noneListed(TestTokens.token(TENANT, "reader"), unpaid.email());
    }

    private static void refused(ValidatableResponse response, String cartId, String why) {
        response.statusCode(409).contentType("application/problem+json")
                .body("detail", allOf(containsString("No shop reminder for cart " + cartId), containsString(why),
                        not(containsString("@"))));
    }
}
