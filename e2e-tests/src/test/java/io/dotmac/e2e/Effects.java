package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The suite's business invariant, counted: what each accepted quote produced, read from the services'
 * public APIs (orders, payments, licenses, notifications), the SMTP server's inbox and the Stripe
 * stub's request journal. "Exactly one" means one order, one payment, one license set (one license
 * per quoted product, under the quote and nothing else for the customer), one "pay here" and one
 * welcome notification and their two emails to the customer, and one Checkout Session asked of
 * Stripe (one Idempotency-Key: Stripe makes one session per key).
 */
final class Effects {

    /** What one quote produced. */
    record Count(String quoteId, String email, int orders, String orderStatus, int payments, String paymentStatus,
                 Set<String> licenseSources, int licensesOfQuote, int productsLicensed, int productsQuoted,
                 int payLinks, int welcomes, int emails, int stripeSessionKeys, int stripeSessionRequests) {

        boolean exactlyOneEach() {
            return orders == 1 && payments == 1 && licenseSources.equals(Set.of(quoteId)) && licensesOfQuote == productsQuoted
                    && productsLicensed == productsQuoted && payLinks == 1 && welcomes == 1 && emails == 2 && stripeSessionKeys == 1;
        }

        String line() {
            return String.format("quote %s (%s): orders %d %s, payments %d %s, license sources %s with %d licenses for %d/%d"
                            + " products, notifications %d pay-here %d welcome, emails %d, Stripe Checkout Session keys %d"
                            + " (requests %d)%s",
                    quoteId, email, orders, orderStatus, payments, paymentStatus, licenseSources, licensesOfQuote,
                    productsLicensed, productsQuoted, payLinks, welcomes, emails, stripeSessionKeys, stripeSessionRequests,
                    exactlyOneEach() ? "" : "   <-- not exactly one each");
        }
    }

    /** One failed SMTP attempt and the retry after it (notification-service's first backoff, 30 s). */
    private static final Duration SETTLING = Duration.ofSeconds(60);

    private Effects() {
    }

    /** Counts what each customer's quote produced, in the caller's tenant. */
    static List<Count> count(Suite suite, Api api, Collection<Onboarding.Customer> customers) {
        List<Map<String, Object>> orders = all(() -> api.to(Service.SALES), "/api/v1/sales/orders");
        List<Map<String, Object>> payments = all(() -> api.to(Service.BILLING), "/api/v1/billing/payments");
        List<LoggedRequest> sessions = suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/checkout/sessions")));
        Map<String, List<Map<String, Object>>> notificationsTo = new HashMap<>();
        customers.forEach(c -> notificationsTo.put(c.email(), settledNotifications(api, c.email())));
        // Read once every notification has settled: a retried one's email arrives late.
        MimeMessage[] inbox = suite.smtp().getReceivedMessages();
        List<Count> counts = new ArrayList<>();
        for (Onboarding.Customer customer : customers) {
            String quote = customer.quoteId();
            List<Map<String, Object>> ordersOfQuote = orders.stream().filter(o -> quote.equals(o.get("quote_id"))).toList();
            List<Map<String, Object>> paymentsOfQuote = payments.stream().filter(p -> quote.equals(p.get("quote_id"))).toList();
            List<Map<String, Object>> licenses = all(() -> api.to(Service.LICENSING).queryParam("customer_id", customer.slug()),
                    "/api/v1/licenses");
            List<Map<String, Object>> licensesOfQuote = licenses.stream().filter(l -> quote.equals(l.get("source_id"))).toList();
            List<Map<String, Object>> notifications = notificationsTo.get(customer.email());
            List<LoggedRequest> sessionsOfQuote = sessions.stream().filter(r -> r.getBodyAsString().contains(quote)).toList();
            counts.add(new Count(quote, customer.email(),
                    ordersOfQuote.size(), statuses(ordersOfQuote),
                    paymentsOfQuote.size(), statuses(paymentsOfQuote),
                    licenses.stream().map(l -> String.valueOf(l.get("source_id"))).collect(Collectors.toCollection(TreeSet::new)),
                    licensesOfQuote.size(),
                    new HashSet<>(licensesOfQuote.stream().map(l -> l.get("product_code")).toList()).size(),
                    new HashSet<>(customer.items().stream().map(i -> i.get("product_code")).toList()).size(),
                    (int) notifications.stream().filter(n -> "payment_request".equals(n.get("kind"))).count(),
                    (int) notifications.stream().filter(n -> "welcome_email".equals(n.get("kind"))).count(),
                    (int) Arrays.stream(inbox).filter(m -> addressedTo(m, customer.email())).count(),
                    (int) sessionsOfQuote.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count(),
                    sessionsOfQuote.size()));
        }
        return counts;
    }

    /** Fails, with every quote's counts, unless each quote produced exactly one of each. */
    static void assertExactlyOneEach(List<Count> counts) {
        if (counts.stream().allMatch(Count::exactlyOneEach)) {
            return;
        }
        fail(counts.stream().filter(c -> !c.exactlyOneEach()).count() + " of " + counts.size()
                + " quotes did not produce exactly one order, payment, license set, 'pay here' and welcome email:\n  "
                + counts.stream().map(Count::line).collect(Collectors.joining("\n  ")));
    }

    /** The counts, one line per quote, for the test's output. */
    static String table(List<Count> counts) {
        return counts.stream().map(Count::line).collect(Collectors.joining("\n  ", "  ", ""));
    }

    /** Every item of a paged list endpoint (?page=, ?size= up to 100). */
    static List<Map<String, Object>> all(Supplier<RequestSpecification> request, String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int page = 0; ; page++) {
            var found = request.get().queryParam("page", page).queryParam("size", 100).get(path)
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> batch = found.getList("items");
            items.addAll(batch);
            if (batch.isEmpty() || items.size() >= found.getLong("total")) {
                return items;
            }
        }
    }

    /**
     * The notifications to {@code recipient} once none is queued any more: an attempt that failed
     * (an SMTP timeout) is made again later, and only then does its email arrive, or not.
     */
    private static List<Map<String, Object>> settledNotifications(Api api, String recipient) {
        try {
            return await().atMost(SETTLING).pollInterval(Duration.ofMillis(500))
                    .until(() -> all(() -> api.to(Service.NOTIFICATION).queryParam("recipient", recipient), "/api/v1/notifications"),
                            found -> found.stream().noneMatch(n -> "queued".equals(n.get("status"))));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("a notification to " + recipient + " is still queued after " + SETTLING.toSeconds() + " s", e);
        }
    }

    private static String statuses(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> String.valueOf(r.get("status"))).toList().toString();
    }

    /** Whether {@code email} is among the message's To recipients. */
    /** The licenses licensing-service issued to the customer organization {@code slug}. */
    static List<Map<String, Object>> licenses(Api api, String slug) {
        return api.to(Service.LICENSING).queryParam("customer_id", slug).get("/api/v1/licenses").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    /** What the SMTP server received for {@code recipient}. */
    static List<MimeMessage> messagesTo(Suite suite, String recipient) {
        return Arrays.stream(suite.smtp().getReceivedMessages()).filter(m -> addressedTo(m, recipient)).toList();
    }

    static boolean addressedTo(MimeMessage message, String email) {
        try {
            Address[] to = message.getRecipients(Message.RecipientType.TO);
            return to != null && Arrays.stream(to).map(Objects::toString).anyMatch(a -> a.toLowerCase().contains(email.toLowerCase()));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
