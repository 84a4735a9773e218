package io.dotmac.notification.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.notification.NotificationService;
import io.dotmac.notification.notification.NotificationService.Welcome;
import io.dotmac.notification.notification.NotificationStatus;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Delivery records with the background sender off, so that each attempt is one the test makes:
 * the lease that keeps two senders apart, and a notification that runs out of attempts.
 */
@QuarkusTest
@TestProfile(DeliveryRecordTest.NoBackgroundSender.class)
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class DeliveryRecordTest {

    public static class NoBackgroundSender implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false", "notification.delivery.max-attempts", "2");
        }
    }

    static final String TENANT = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    static final Duration LEASE = Duration.ofMinutes(1);

    @Inject
    NotificationService notifications;

    @Inject
    NotificationSender sender;

    static Welcome welcome() {
        return new Welcome("ops." + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                "isp-" + UUID.randomUUID().toString().substring(0, 8), null);
    }

    @Test
    @RunOnVertxContext
    void aClaimedNotificationCannotBeClaimedAgainUntilItsAttemptIsRecorded(UniAsserter asserter) {
        AtomicReference<UUID> id = new AtomicReference<>();
        asserter.execute(() -> notifications.recordWelcome(TENANT, welcome()).invoke(n -> id.set(n.id)));

        // The API's attempt holds it: the retrier (or another replica) gets nothing.
        asserter.assertThat(() -> notifications.claim(id.get(), LEASE), claimed -> {
            assertNotNull(claimed);
            assertEquals(1, claimed.attempts);
            assertNotNull(claimed.lockedUntil);
        });
        asserter.assertThat(() -> notifications.claim(id.get(), LEASE), claimed -> assertNull(claimed));

        // A failed attempt due again at once releases it for the next sender.
        asserter.execute(() -> notifications.recordFailure(id.get(), "SMTP 421 try later", Duration.ZERO));
        asserter.assertThat(() -> notifications.claim(id.get(), LEASE), claimed -> {
            assertNotNull(claimed);
            assertEquals(2, claimed.attempts);
            assertEquals("SMTP 421 try later", claimed.lastError);
        });

        // Once sent, nobody takes it again.
        asserter.execute(() -> notifications.markSent(id.get()));
        asserter.assertThat(() -> notifications.claim(id.get(), LEASE), claimed -> assertNull(claimed));
        asserter.assertThat(() -> notifications.get(TENANT, id.get()), n -> {
            assertEquals(NotificationStatus.SENT, n.status);
            assertNull(n.lockedUntil);
            assertNotNull(n.sentAt);
        });
    }

    @Test
    @RunOnVertxContext
    void anAttemptOnANotificationAnotherSenderHoldsSendsNothing(UniAsserter asserter) {
        AtomicReference<Notification> recorded = new AtomicReference<>();
        asserter.execute(() -> notifications.recordWelcome(TENANT, welcome()).invoke(recorded::set));
        asserter.execute(() -> notifications.claim(recorded.get().id, LEASE));
        // Held by a claim: the sender's attempt is a no-op.
        asserter.execute(() -> sender.attempt(recorded.get().id));
        asserter.assertThat(() -> notifications.get(TENANT, recorded.get().id), n -> {
            assertEquals(NotificationStatus.QUEUED, n.status);
            assertEquals(1, n.attempts);
            assertTrue(SmtpServer.messagesTo(n.recipient).isEmpty());
        });
        asserter.execute(() -> notifications.markSent(recorded.get().id));
    }

    @Test
    void afterItsLastAttemptANotificationIsFailedAndANewRequestQueuesItAgain() {
        String token = TestTokens.engine(TENANT);
        Welcome welcome = welcome();
        Map<String, Object> body = Map.of("customer_email", welcome.customerEmail(), "tenant_subdomain", welcome.tenantSubdomain());
        // Every request below passes the check (the stub): the organization's order to that address is active and paid.
        SalesStub.activeOrder(welcome.tenantSubdomain(), welcome.customerEmail());
        SmtpServer.down();
        try {
            String id = post(token, body).body("status", equalTo("queued")).body("attempts", equalTo(1)).extract().path("id");
            // Each new request makes the next attempt once it is due (the background sender is off here).
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "failed".equals(post(token, body).extract().path("status")));
            // People read the record; the engine only sends.
            given().auth().oauth2(TestTokens.token(TENANT, "reader")).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                    .body("status", equalTo("failed")).body("attempts", equalTo(2))
                    .body("last_error", notNullValue()).body("next_attempt_at", equalTo(null));

            // Still down: queued again with a fresh count, its first attempt failed.
            post(token, body).body("id", equalTo(id)).body("status", equalTo("queued")).body("attempts", equalTo(1));
        } finally {
            SmtpServer.up();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> "sent".equals(post(token, body).extract().path("status")));
        assertEquals(1, SmtpServer.messagesTo(welcome.customerEmail()).size());
    }

    static io.restassured.response.ValidatableResponse post(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/notifications/welcome-email")
                .then().statusCode(202);
    }
}
