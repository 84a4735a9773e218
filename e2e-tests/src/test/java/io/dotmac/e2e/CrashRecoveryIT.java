package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's second invariant scenario: twenty {@code lead_to_customer} executions in flight at once,
 * the workflow-service killed with SIGKILL while some of them are taking the payment, issuing the
 * licenses or activating the order and others have not started yet, then started again. Every
 * execution completes (the restarted instance claims them once the dead one's leases expire, and
 * reads the events it had not acknowledged); every step is recorded {@code completed} once; and every quote
 * yields exactly one order, payment, license set and welcome email, since the steps that ran again
 * carried the same Idempotency-Keys. A shop purchase (issue 18) whose engine is killed inside its
 * checkout holds to the same invariant.
 */
@ExtendWith(SuiteExtension.class)
class CrashRecoveryIT {

    private static final int CUSTOMERS = 20;
    /** Customers who accept before the engine is killed; the others accept as it dies. */
    private static final int FIRST_WAVE = 15;
    /** How many executions must have begun to pay before the kill. */
    private static final int PAYING_AT_KILL = 5;
    private static final String L2C = "lead_to_customer";
    /** Where an execution starts having effects beyond crm-service: from here on it is mid-flight. */
    private static final int PAYING = LeadToCustomerIT.STEPS.indexOf("process_payment");
    private static final String SHOP_CHECKOUT = "shop_checkout";
    /**
     * The step the shop's shop_checkout waits at, once crm has made the cart's accepted quote, and for
     * how long: a window to kill the engine in, over before it is ready again.
     */
    private static final String PAUSE = "wait_after_quoting";
    private static final int PAUSE_SECONDS = 10;

    @Test
    void everyExecutionCompletesOnceAfterTheEngineIsKilled(Suite suite) {
        Instant began = Instant.now();
        String tenant = suite.newTenant("crash");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);
        ServiceProcess engine = suite.service(Service.WORKFLOW);
        ExecutorService pool = Executors.newFixedThreadPool(CUSTOMERS);
        try {
            List<Onboarding.Lead> leads = all(pool, CUSTOMERS, () -> onboarding.start("crash"));
            List<Onboarding.Customer> customers = leads.stream()
                    .map(lead -> onboarding.awaitQuote(lead, Duration.ofSeconds(90))).toList();
            Instant quoted = Instant.now();

            // Most customers accept at once; once several of their executions are paying (or further on),
            // the others accept and the engine is killed at once: some executions are mid-flight, some
            // have not begun.
            List<CompletableFuture<Void>> accepting = new ArrayList<>(customers.subList(0, FIRST_WAVE).stream()
                    .map(c -> CompletableFuture.runAsync(() -> onboarding.accept(c), pool)).toList());
            Map<String, Integer> atKill = awaitPaying(workflows, Duration.ofSeconds(90));
            customers.subList(FIRST_WAVE, CUSTOMERS).forEach(c -> accepting.add(CompletableFuture.runAsync(() -> onboarding.accept(c), pool)));
            engine.kill();
            Instant killed = Instant.now();
            accepting.forEach(CompletableFuture::join);
            engine.startAndAwaitReady(suite.readyTimeout());
            Instant restarted = Instant.now();

            List<Map<String, Object>> executions = workflows.awaitAllEnded(
                    Map.of(L2C, CUSTOMERS, "payment_received", CUSTOMERS), Duration.ofSeconds(180));
            Instant ended = Instant.now();
            List<Effects.Count> counts = Effects.count(suite, api, customers);
            System.out.printf("%n[e2e] crash recovery, tenant %s: %d quotes waiting after %d ms; workflow-service killed %d ms after"
                            + " the first acceptances with the lead_to_customer executions at steps %s; ready again after %d ms;"
                            + " every execution ended %d ms after the kill%n%s%n", tenant, CUSTOMERS,
                    Duration.between(began, quoted).toMillis(), Duration.between(quoted, killed).toMillis(), atKill,
                    Duration.between(killed, restarted).toMillis(), Duration.between(killed, ended).toMillis(),
                    Effects.table(counts));

            Map<Object, Map<Object, Long>> statuses = executions.stream().collect(Collectors.groupingBy(e -> e.get("workflow_name"),
                    TreeMap::new, Collectors.groupingBy(e -> e.get("status"), TreeMap::new, Collectors.counting())));
            // No quote_accepted: each quote's lead_to_customer drove it.
            assertEquals(Map.of(L2C, Map.of("completed", (long) CUSTOMERS), "payment_received", Map.of("completed", (long) CUSTOMERS)),
                    statuses,
                    "executions per workflow and status: " + Workflows.summaries(executions));
            workflows.assertEachStepCompletedOnce(executions.stream().map(e -> (String) e.get("id")).toList());
            Effects.assertExactlyOneEach(counts);
        } finally {
            pool.shutdownNow();
            if (!engine.isAlive()) {
                // The tests after this one need the engine.
                engine.startAndAwaitReady(suite.readyTimeout());
            }
        }
    }

    /**
     * A shop purchase whose engine is killed inside shop_checkout: crm has made the cart's accepted
     * quote (whose own journey, quote_accepted, has begun, taking the payment), the shop has not been
     * told of it. Started again, the engine finishes the checkout, the visitor pays on the page their
     * order page shows, and the cart yields one quote, one order, one succeeded payment of its total,
     * one license set and one welcome email, from one shop_checkout and one quote_accepted, each step
     * of which is recorded completed once.
     */
    @Test
    void aShopPurchaseWhoseEngineIsKilledInsideItsCheckoutCompletesOnce(Suite suite) {
        Instant began = Instant.now();
        Api vendor = new Api(suite, TestTokens.token(suite.shopTenant(), "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, vendor);
        ServiceProcess engine = suite.service(Service.WORKFLOW);
        // The built-in, waiting once crm has made the quote; for the shop's tenant, so for its other tests too until deactivated below.
        Map<String, Object> paused = Workflows.withStepAfter(workflows.definition(SHOP_CHECKOUT), "quote_from_cart", Map.of(
                "name", PAUSE, "type", "condition", "condition", "(quote_again.status ?? '') == 'accepted'",
                "timeout_seconds", PAUSE_SECONDS, "refresh", Map.of("service", "crm_service", "method", "get_quote",
                        "params", Map.of("quote_id", "${quote.id}"), "result", "quote_again")));
        String pausedVersion = workflows.storeAsNewest(paused);
        try {
            // "manual.": the visitor pays after the restart, on the page their order page shows.
            Shop.Purchase purchase = Shop.ofTwoProducts(suite, "manual.shop-crash");
            Shop.Cart cart = purchase.cart();
            purchase.checkOut();
            String execution = workflows.awaitExecution(SHOP_CHECKOUT, cart.id(), Duration.ofSeconds(30));
            JsonPath atPause = workflows.awaitState(execution, Duration.ofSeconds(60), "waiting at " + PAUSE,
                    detail -> PAUSE.equals(detail.getString("steps.find { it.status == 'waiting' }.step_name")));
            String atKill = Workflows.summaries(workflows.list(cart.id()));
            engine.kill();
            Instant killed = Instant.now();
            assertTrue(killed.isBefore(OffsetDateTime.parse(atPause.getString("steps.find { it.status == 'waiting' }.wait_until"))
                    .toInstant()), "killed before the wait's deadline\n" + Workflows.describe(atPause));
            // Killed inside the checkout: crm accepted the quote, the shop has not heard of it.
            String quoteId = atPause.getString("context.quote.id");
            vendor.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200).body("status", equalTo("accepted"));
            assertEquals("preparing", cart.checkout().getString("status"), "the checkout at the kill");

            engine.startAndAwaitReady(suite.readyTimeout());
            Instant restarted = Instant.now();
            JsonPath payable = cart.awaitPayable(Duration.ofSeconds(90));
            assertEquals(quoteId, payable.getString("quote_id"));
            Shop.awaitJourneyAtPayment(workflows, quoteId, Duration.ofSeconds(60));
            Checkout.pay(payable.getString("checkout_url"));
            cart.awaitLive(Duration.ofSeconds(90));

            List<Map<String, Object>> executions = workflows.awaitAllEnded(cart.id(),
                    Map.of(SHOP_CHECKOUT, 1, "quote_accepted", 1, "payment_received", 1), Duration.ofSeconds(60));
            List<Effects.Count> counts = Effects.count(suite, vendor, List.of(Shop.customer(vendor, quoteId)));
            System.out.printf("%n[e2e] crash recovery of a shop purchase, cart %s: workflow-service killed %d ms after the checkout"
                            + " with %s; ready again after %d ms; live %d ms after the kill%n%s%n  executions: %s%n", cart.id(),
                    Duration.between(began, killed).toMillis(), atKill, Duration.between(killed, restarted).toMillis(),
                    Duration.between(killed, Instant.now()).toMillis(), Effects.table(counts), Workflows.summaries(executions));

            Map<Object, Map<Object, Long>> statuses = executions.stream().collect(Collectors.groupingBy(e -> e.get("workflow_name"),
                    TreeMap::new, Collectors.groupingBy(e -> e.get("status"), TreeMap::new, Collectors.counting())));
            assertEquals(Map.of(SHOP_CHECKOUT, Map.of("completed", 1L), "quote_accepted", Map.of("completed", 1L),
                    "payment_received", Map.of("completed", 1L)), statuses, "executions per workflow and status: " + Workflows.summaries(executions));
            workflows.assertEachStepCompletedOnce(executions.stream().map(e -> (String) e.get("id")).toList());
            Effects.assertExactlyOneEach(counts);
            assertEquals(List.of(quoteId), Shop.quotesOf(vendor, cart.id()), "crm's quotes of the cart");
            vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId).then().statusCode(200)
                    .body("status", equalTo("succeeded")).body("amount", equalTo(purchase.total()));
        } finally {
            if (!engine.isAlive()) {
                // The tests after this one need the engine.
                engine.startAndAwaitReady(suite.readyTimeout());
            }
            // The shop's other tests run the built-in again.
            workflows.deactivate(SHOP_CHECKOUT, pausedVersion);
        }
    }

    /**
     * Polls the tenant's executions until {@value #PAYING_AT_KILL} {@code lead_to_customer} executions
     * have begun to pay (or gone further on) and not all of those have finished; then how many
     * executions are at each step (a finished one counted under its status).
     */
    private static Map<String, Integer> awaitPaying(Workflows workflows, Duration timeout) {
        List<Map<String, Integer>> seen = new ArrayList<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<Map<String, Object>> l2c = workflows.list(null).stream().filter(e -> L2C.equals(e.get("workflow_name"))).toList();
                seen.add(new TreeMap<>(l2c.stream().collect(Collectors.groupingBy(CrashRecoveryIT::where, Collectors.summingInt(e -> 1)))));
                long begun = l2c.stream().filter(e -> step(e) >= PAYING).count();
                long inFlight = l2c.stream().filter(e -> step(e) >= PAYING && !Workflows.TERMINAL.contains(e.get("status"))).count();
                return begun >= PAYING_AT_KILL && inFlight > 0;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fewer than " + PAYING_AT_KILL + " lead_to_customer executions began to pay; the last"
                    + " polls saw " + seen.subList(Math.max(0, seen.size() - 10), seen.size()), e);
        }
        return seen.get(seen.size() - 1);
    }

    /** The step an execution is at, or its status once it has ended. */
    private static String where(Map<String, Object> execution) {
        return Workflows.TERMINAL.contains(execution.get("status")) || step(execution) >= LeadToCustomerIT.STEPS.size()
                ? String.valueOf(execution.get("status")) : LeadToCustomerIT.STEPS.get(step(execution));
    }

    private static int step(Map<String, Object> execution) {
        return ((Number) execution.get("current_step")).intValue();
    }

    /** {@code count} calls of {@code task} at once on {@code pool}, their results in order. */
    private static <T> List<T> all(ExecutorService pool, int count, Supplier<T> task) {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(CompletableFuture.supplyAsync(task, pool));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
