package io.dotmac.notification.notification.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.notification.NotificationService;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The welcome email over HTTP with real tokens, delivered to a real SMTP server on loopback:
 * what arrives, that it arrives once, outages, and bad requests. sales-service, asked whether the
 * organization has an active order to the address, and billing-service, asked whether its quote is
 * paid, are a stub that has a paid one for every welcome here.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class WelcomeEmailApiTest {

    static final String PATH = "/api/v1/notifications/welcome-email";
    static final String TENANT = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");

    @Inject
    NotificationService notifications;

    static String email() {
        return "jane." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String slug() {
        return "isp-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse send(String token, String key, Map<String, Object> body) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post(PATH).then();
    }

    static Map<String, Object> welcome(String email, String slug, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("customer_email", email);
        body.put("tenant_subdomain", slug);
        if (name != null) {
            body.put("customer_name", name);
        }
        return body;
    }

    /** A welcome for an organization that sales-service (the stub) has an active, paid order for, to that address. */
    static Map<String, Object> ordered(String email, String slug, String name) {
        SalesStub.activeOrder(slug, email);
        return welcome(email, slug, name);
    }

    static String part(MimeMessage message, String type) throws Exception {
        Multipart multipart = (Multipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part in " + message.getContentType());
    }

    @Test
    void theWelcomeEmailArrivesWithBothPartsAndTheTenantUrl() throws Exception {
        String email = email();
        String slug = slug();
        String url = "https://" + slug + ".tenants.dotmac.local";

        String id = send(ENGINE, UUID.randomUUID() + ":send_welcome", ordered(email, slug, "Jane Doe"))
                .statusCode(202)
                .body("kind", equalTo("welcome_email"))
                .body("recipient", equalTo(email))
                .body("status", equalTo("sent"))
                .body("attempts", equalTo(1))
                .body("last_error", nullValue())
                .body("tenant_url", equalTo(url))
                .body("subject", equalTo("Welcome to DotMac \u2014 your platform at " + slug + ".tenants.dotmac.local is ready"))
                .body("message_id", notNullValue())
                .body("created_at", notNullValue())
                .body("sent_at", notNullValue())
                .extract().path("id");

        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(1, received.size());
        MimeMessage message = received.get(0);
        assertEquals("Welcome to DotMac \u2014 your platform at " + slug + ".tenants.dotmac.local is ready", message.getSubject());
        assertEquals("<" + id + "@dotmac.local>", message.getMessageID());
        assertTrue(message.getFrom()[0].toString().contains("welcome@dotmac.local"), message.getFrom()[0].toString());

        String html = part(message, "text/html");
        String text = part(message, "text/plain");
        for (String body : List.of(html, text)) {
            assertTrue(body.contains("Hello Jane Doe,"), body);
            assertTrue(body.contains(url), body);
            assertTrue(body.contains("Invite your team"), body);
            assertTrue(body.contains("Configure billing"), body);
            assertTrue(body.contains("https://docs.dotmac.local"), body);
        }
        assertTrue(html.contains("href=\"" + url + "\""), html);

        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("status", equalTo("sent")).body("message_id", equalTo("<" + id + "@dotmac.local>"));
    }

    @Test
    void withoutANameTheGreetingIsNeutralAndMarkupInANameIsEscaped() throws Exception {
        String anonymous = email();
        send(ENGINE, null, ordered(anonymous, slug(), null)).statusCode(202).body("status", equalTo("sent"));
        MimeMessage plain = SmtpServer.messagesTo(anonymous).get(0);
        assertTrue(part(plain, "text/plain").startsWith("Hello,"), part(plain, "text/plain"));
        assertTrue(part(plain, "text/html").contains("<p>Hello,</p>"), part(plain, "text/html"));

        String named = email();
        send(ENGINE, null, ordered(named, slug(), "<b>Bob</b> & Co")).statusCode(202);
        String html = part(SmtpServer.messagesTo(named).get(0), "text/html");
        assertTrue(html.contains("Hello &lt;b&gt;Bob&lt;/b&gt; &amp; Co,"), html);
    }

    @Test
    void twentyWelcomesAtOnceAreEachSentOnTheirFirstAttempt() throws Exception {
        // More than the mailer's pool of 10 connections: the rest wait for one, and none is lost.
        List<String> emails = IntStream.range(0, 20).mapToObj(i -> email()).toList();
        // Each for its own organization with its active order, stubbed before the burst.
        List<Map<String, Object>> welcomes = emails.stream().map(email -> ordered(email, slug(), null)).toList();
        var pool = Executors.newFixedThreadPool(emails.size());
        try {
            var responses = pool.invokeAll(welcomes.stream().<Callable<Map<String, Object>>>map(
                    welcome -> () -> send(ENGINE, null, welcome).statusCode(202).extract().jsonPath().getMap("")).toList());
            for (var response : responses) {
                Map<String, Object> notification = response.get();
                assertEquals("sent", notification.get("status"), notification.toString());
                assertEquals(1, notification.get("attempts"), notification.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        for (String email : emails) {
            assertEquals(1, SmtpServer.messagesTo(email).size(), email);
        }
    }

    @Test
    void aWelcomeQueuedWithoutItsFirstAttemptIsSentByTheBackgroundSender() throws Throwable {
        // As if the service stopped between committing the record and attempting it.
        String email = email();
        UUID id = VertxContextSupport.subscribeAndAwait(() -> notifications.recordWelcome(TENANT,
                new NotificationService.Welcome(email, slug(), null))).id;

        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(
                given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().extract().path("status")));
        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().body("attempts", equalTo(1));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void aReplayedRequestSendsNothingNew() {
        String email = email();
        String slug = slug();
        String key = UUID.randomUUID() + ":send_welcome";
        String id = send(ENGINE, key, ordered(email, slug, "Jane")).statusCode(202).body("status", equalTo("sent"))
                .extract().path("id");

        // The engine retrying its step: same key, same body.
        send(ENGINE, key, welcome(email, slug, "Jane")).statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id)).body("status", equalTo("sent")).body("attempts", equalTo(1));
        // Another request for the same welcome (a new key, the address in other letter case).
        send(ENGINE, UUID.randomUUID().toString(), welcome(email.toUpperCase(), slug, "Jane")).statusCode(202)
                .body("id", equalTo(id)).body("status", equalTo("sent")).body("attempts", equalTo(1));
        // And without a key at all.
        send(ENGINE, null, welcome(email, slug, null)).statusCode(202).body("id", equalTo(id));

        assertEquals(1, SmtpServer.messagesTo(email).size());
        // The same key for another request is refused (one that would pass the active-order check on its own).
        String other = email();
        SalesStub.activeOrder(slug, email, other);
        send(ENGINE, key, welcome(other, slug, "Jane")).statusCode(422);
        assertTrue(SmtpServer.messagesTo(other).isEmpty());
    }

    @Test
    void whileTheSmtpServerIsDownTheAttemptIsRecordedThenItIsSentOnce() {
        String email = email();
        String id;
        SmtpServer.down();
        try {
            id = send(ENGINE, UUID.randomUUID().toString(), ordered(email, slug(), "Jane")).statusCode(202)
                    .body("status", equalTo("queued"))
                    .body("attempts", equalTo(1))
                    .body("last_error", notNullValue())
                    .body("next_attempt_at", notNullValue())
                    .body("sent_at", nullValue())
                    .extract().path("id");
        } finally {
            SmtpServer.up();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(
                given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                        .extract().path("status")));
        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then()
                .body("attempts", greaterThanOrEqualTo(2))
                .body("last_error", notNullValue())
                .body("next_attempt_at", nullValue())
                .body("sent_at", notNullValue());
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void malformedRequestsAre400NamingTheField() {
        send(ENGINE, null, welcome("not-an-address", slug(), null)).statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("customer_email"));
        send(ENGINE, null, welcome("jane@example.com\r\nBcc: x@evil.test", slug(), null)).statusCode(400)
                .body("detail", containsString("customer_email"));
        send(ENGINE, null, welcome(email(), "Not_A_Slug", null)).statusCode(400)
                .body("detail", containsString("tenant_subdomain"));
        send(ENGINE, null, Map.of("customer_email", email())).statusCode(400)
                .body("detail", containsString("tenant_subdomain"));
        send(ENGINE, null, welcome(email(), slug(), "x".repeat(201))).statusCode(400)
                .body("detail", containsString("customer_name"));
    }

    @Test
    void tokensAndRolesAreChecked() {
        send(TestTokens.expired(TENANT, "service"), null, welcome(email(), slug(), null)).statusCode(401);
        send(READER, null, welcome(email(), slug(), null)).statusCode(403);
        given().when().get("/api/v1/notifications").then().statusCode(401);
    }

    @Test
    void notificationsAreTenantScopedAndListedByRecipientPage() {
        String email = email();
        String first = send(ENGINE, null, ordered(email, slug(), null)).statusCode(202).extract().path("id");
        String second = send(ENGINE, null, ordered(email, slug(), null)).statusCode(202).extract().path("id");
        send(ENGINE, null, ordered(email(), slug(), null)).statusCode(202);

        given().auth().oauth2(READER).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200)
                .body("total", equalTo(2)).body("items.id", hasSize(2)).body("items.recipient", everyItem(equalTo(email)))
                .body("items[0].id", equalTo(second)).body("items[1].id", equalTo(first));
        given().auth().oauth2(READER).queryParam("recipient", email).queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/v1/notifications").then().statusCode(200)
                .body("total", equalTo(2)).body("page", equalTo(1)).body("size", equalTo(1))
                .body("items.id", hasSize(1)).body("items[0].id", equalTo(first));
        given().auth().oauth2(READER).queryParam("size", "many").when().get("/api/v1/notifications").then().statusCode(400);

        String stranger = TestTokens.token("other-" + UUID.randomUUID().toString().substring(0, 8), "admin");
        given().auth().oauth2(stranger).when().get("/api/v1/notifications/" + first).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(stranger).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + UUID.randomUUID()).then().statusCode(404);
    }
}
