package io.dotmac.e2e;

import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.restassured.RestAssured;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The suite's customers on Stripe's hosted Checkout page (the stand-in's): they read the "pay
 * here" email notification-service sent them and press Pay or Decline on the page it links to, as
 * a person would. A background payer does that for every customer as their email arrives, so the
 * tests that are not about paying see customers who pay at once; whose address starts with
 * {@code declined.} declines once and never pays; {@code manual.} and {@code pending.} customers
 * are left to their test ({@link #link}, {@link #pay}, {@link #decline}), and a page nobody pays
 * is closed by its vendor ({@link #expire}).
 */
final class Checkout implements AutoCloseable {

    private static final Pattern PAGE = Pattern.compile("https?://[^\\s\"<>]+/checkout/pay/cs_[A-Za-z0-9_-]+");
    private static final Map<String, Optional<String>> PAGES = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Suite suite;
    private final ScheduledExecutorService payer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "e2e-checkout-payer");
        thread.setDaemon(true);
        return thread;
    });
    /** Pages the payer has dealt with; a page is paid (or declined) once. */
    private final Set<String> handled = new HashSet<>();

    private Checkout(Suite suite) {
        this.suite = suite;
    }

    /** Starts the background payer. */
    static Checkout start(Suite suite) {
        Checkout checkout = new Checkout(suite);
        checkout.payer.scheduleWithFixedDelay(() -> {
            try {
                checkout.payWhatArrived();
            } catch (RuntimeException e) {
                // A failed round must not end the schedule (an exception would cancel it).
                System.out.println("[e2e] checkout payer: " + e);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        return checkout;
    }

    private void payWhatArrived() {
        for (MimeMessage message : suite.smtp().getReceivedMessages()) {
            Optional<String> page = pageIn(message);
            if (page.isEmpty() || !handled.add(page.get())) {
                continue;
            }
            try {
                String to = message.getRecipients(MimeMessage.RecipientType.TO)[0].toString().toLowerCase(Locale.ROOT);
                String local = to.replaceAll(".*<", "");
                if (local.startsWith("declined.")) {
                    decline(page.get());
                } else if (!local.startsWith("manual.") && !local.startsWith("pending.")) {
                    pay(page.get());
                }
            } catch (RuntimeException | MessagingException e) {
                // Tried again on the next round.
                System.out.println("[e2e] checkout payer, " + page.get() + ": " + e);
                handled.remove(page.get());
            }
        }
    }

    /** The Checkout page linked from the "pay here" email to {@code email}, waiting for the email to arrive. */
    static String link(Suite suite, String email, Duration timeout) {
        return Awaitility.await("the 'pay here' email to " + email).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> Effects.messagesTo(suite, email).stream().map(Checkout::pageIn).flatMap(Optional::stream)
                        .reduce((first, last) -> last), Optional::isPresent).orElseThrow();
    }

    /** Presses Pay on the page: Stripe redirects the customer to the success URL (303). */
    static void pay(String page) {
        press(page, "pay", 303);
    }

    /** Presses Decline on the page (a declined card): the page shows the decline and stays open. */
    static void decline(String page) {
        press(page, "decline", 200);
    }

    /**
     * The stand-in's test clock: the subscription's next period begins now, its invoice paid or
     * declined ({@code outcome}), or the subscription ends if it was set to end with its period.
     */
    static void nextPeriod(Suite suite, String subscription, String outcome) {
        RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("outcome", outcome)
                .post(suite.stripe().baseUrl() + "/_standin/subscriptions/" + subscription + "/next_period").then().statusCode(200);
    }

    /**
     * The vendor expires the page in Stripe's dashboard, rather than wait for its time to run out:
     * Stripe's {@code POST /v1/checkout/sessions/{id}/expire}, with the suite's API key, for the
     * session the page is of (its URL's last segment). The session closes at once and Stripe sends
     * billing {@code checkout.session.expired}, as when its {@code expires_at} passes (the answer
     * waits a few seconds for that delivery).
     */
    static void expire(Suite suite, String page) {
        String session = URI.create(page).getPath().replaceFirst(".*/", "");
        RestAssured.given().header("Authorization", "Bearer " + Suite.STRIPE_API_KEY)
                .contentType("application/x-www-form-urlencoded")
                .post(suite.stripeUrl() + "/v1/checkout/sessions/" + session + "/expire").then().statusCode(200)
                .body("id", equalTo(session)).body("status", equalTo("expired"));
    }

    /** Presses Pay on an open invoice's hosted page (a late payment): the page shows it paid. */
    static void payInvoice(String page) {
        press(page, "pay", 200);
    }

    /**
     * How often a card was declined on the payment's page, as the stand-in logged it: in
     * subscription mode Stripe tells billing nothing of a declined attempt, so a test learns of
     * it here.
     */
    static int declines(Suite suite, String paymentId) {
        return suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/checkout/pay/cs_test_" + paymentId + "/decline")))
                .size();
    }

    private static void press(String page, String button, int expected) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(page + "/" + button))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(button + " on " + page + " answered " + answer.statusCode() + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Checkout page a message links to, read from its decoded text (quoted-printable would split
     * it). Read once per message: the payer and every waiting customer look through all the messages
     * every 200 ms, and decoding them each time took a core of the journey benchmark.
     */
    static Optional<String> pageIn(MimeMessage message) {
        try {
            String id = message.getMessageID();
            return id == null ? readPageIn(message) : PAGES.computeIfAbsent(id, ignored -> readPageIn(message));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> readPageIn(MimeMessage message) {
        Matcher matcher = PAGE.matcher(text(message));
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    /** The message's text, every part of it (a multipart's parts, decoded). */
    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Part part) {
        try {
            if (part.isMimeType("text/*")) {
                return String.valueOf(part.getContent());
            }
            if (part.getContent() instanceof Multipart multipart) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    all.append(text(child)).append('\n');
                }
                return all.toString();
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        payer.shutdownNow();
    }
}
