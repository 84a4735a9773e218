package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.common.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seed's manual test list in a real browser: Debian's headless chromium driven through its
 * chromedriver (both installed by deploy/local/test; never a downloaded browser), against the
 * suite's services. A sales operator signs in at Keycloak's login page and walks a lead to an
 * accepted quote on the CRM pages, then follows the execution that starts in the console (signed in
 * there by the same Keycloak session); an operator retries a failed execution from the console
 * (signed in with a pasted token, as scripts' users do); a reader signed in at Keycloak finds the
 * CRM's actions off, and the API refuses them. A visitor buys from the self-serve shop (no sign-in):
 * two products, a quantity changed in the cart, checkout with a double click on Pay, a declined card
 * then a payment on Stripe's hosted page (the stand-in's), and the order page followed to live. A
 * reader follows a tenant's journeys on the console's overview (funnel, chart, waiting executions).
 *
 * <p>Each page is saved as a PNG in {@code e2e-tests/target/browser-screenshots/} (numbered in the
 * order taken, prefixed with the test), also when a wait fails. Elements are found by their
 * {@code data-testid} only. {@code CHROMIUM_BINARY} and {@code CHROMEDRIVER} override the Debian
 * paths.
 */
@ExtendWith(SuiteExtension.class)
class BrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration EXECUTION_WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger SHOTS = new AtomicInteger();

    private ChromeDriver browser;
    private Path shots;
    private String test;

    @BeforeEach
    void openBrowser(Suite suite, TestInfo info) throws IOException {
        test = info.getTestMethod().orElseThrow().getName();
        shots = Path.of(System.getProperty("e2e.output", "target")).resolve("browser-screenshots");
        Files.createDirectories(shots);
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
        Path driver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        assertTrue(Files.isExecutable(chromium), chromium + ": Debian's chromium is missing (deploy/local/test installs it)");
        assertTrue(Files.isExecutable(driver), driver + ": Debian's chromium-driver is missing (deploy/local/test installs it)");
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,1100", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .withLogFile(Path.of(System.getProperty("e2e.output", "target")).resolve("e2e-logs/chromedriver.log")
                        .toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void salesOperatorAcceptsAQuoteAndTheOperatorWatchesItsExecutionComplete(Suite suite) {
        IdentityProvider keycloak = suite.identityProvider();
        String slug = "br-" + UUID.randomUUID().toString().substring(0, 8);
        // "manual": the customer pays in this browser, not the suite's payer.
        String email = "manual.buyer@" + slug + ".example.com";

        browser.get(suite.url(Service.CRM) + "/crm/");
        signInAtKeycloak(keycloak, "operator", "crm-signin");
        assertEquals(IdentityProvider.TENANT, visible("session-tenant").getText(), "the tenant comes from Keycloak's token");

        click("lead-new");
        visible("lead-form");
        type("lead-form-customer-name", "Ada Buyer");
        type("lead-form-customer-email", email);
        type("lead-form-company-name", "Browser Walk Ltd");
        type("lead-form-organization-slug", slug);
        Select region = new Select(visible("lead-form-region"));
        region.selectByIndex(0);
        // The form opens with one product line; a second one is added, so that the quote has two.
        new Select(visible("lead-form-product")).selectByIndex(1); // 0 is "choose a product"
        type("lead-form-quantity", "3");
        click("lead-form-line-add");
        List<WebElement> products = browser.findElements(testId("lead-form-product"));
        assertEquals(2, products.size(), "two product lines");
        new Select(products.get(1)).selectByIndex(2);
        shot("crm-new-lead");
        click("lead-form-submit");

        status("lead-status", "new");
        shot("crm-lead");
        click("lead-qualify");
        status("lead-status", "qualified");
        shot("crm-lead-qualified");
        click("lead-generate-quote");

        status("quote-status", "draft");
        assertEquals(2, browser.findElements(testId("quote-line")).size(), "the quote has the lead's two lines");
        assertFalse(visible("quote-total").getAttribute("data-amount").isBlank(), "the quote shows its total");
        shot("crm-quote-draft");
        click("quote-send");
        confirm();
        status("quote-status", "sent");
        click("quote-accept");
        confirm();
        status("quote-status", "accepted");
        shot("crm-quote-accepted");

        // The CRM links the accepted quote to its executions in the console (another origin: sign in
        // there, where Keycloak's session asks for no password again).
        String console = visible("console-link").getAttribute("href");
        assertTrue(console.startsWith(suite.url(Service.WORKFLOW) + "/console/") && console.contains("key="),
                "the console link names the quote: " + console);
        browser.get(console);
        signInAtKeycloak(keycloak, "operator", "console-signin");
        assertEquals(console, browser.getCurrentUrl(), "back where the sign-in started");

        // crm.quote.accepted starts quote_accepted for this quote, maybe after the list was loaded: the
        // operator refreshes it until it shows.
        WebElement row = until(EXECUTION_WAIT, d -> {
            List<WebElement> rows = d.findElements(testId("execution-row"));
            if (rows.isEmpty()) {
                d.findElements(testId("executions-refresh")).stream().filter(WebElement::isEnabled).findFirst()
                        .ifPresent(WebElement::click);
                return null;
            }
            return rows.get(0);
        });
        shot("console-executions");
        row.findElement(testId("execution-link")).click();
        visible("execution-steps");
        shot("console-execution-running");
        String execution = browser.getCurrentUrl();

        // The customer opens the "pay here" email's link, Stripe's hosted Checkout page, and pays.
        browser.get(Checkout.link(suite, email, EXECUTION_WAIT));
        assertFalse(visible("amount").getText().isBlank(), "the Checkout page shows the amount");
        shot("stripe-checkout");
        click("pay-button");
        // Stripe sends every payer to the shop's thank-you page; one who did not buy there is thanked.
        until(EXECUTION_WAIT, d -> d.getCurrentUrl().startsWith(suite.url(Service.SALES) + "/shop/#/paid") ? d.getCurrentUrl() : null);
        visible("paid-thanks");
        shot("shop-paid-thanks");

        browser.get(execution);
        status("execution-status", "completed", EXECUTION_WAIT); // the page refreshes itself
        assertEquals("completed", visible("execution-status").getText(), "the console shows the status as the API spells it");
        shot("console-execution-completed");
        List<WebElement> steps = browser.findElements(testId("step-row"));
        List<String> statuses = steps.stream().map(step -> step.getAttribute("data-step-name") + "=" + step.getAttribute("data-status")).toList();
        assertFalse(statuses.isEmpty(), "the execution shows its steps");
        assertTrue(statuses.stream().allMatch(s -> s.endsWith("=completed")), "every step completed: " + statuses);
        assertFalse(visible("execution-retry").isEnabled(), "a completed execution cannot be retried");
        assertFalse(visible("execution-cancel").isEnabled(), "a completed execution cannot be cancelled");

        // The customer's subscription beside their journeys (billing's, read with the operator's token): the
        // quote's first invoice paid. Billing may record it a moment after the journey: the page is read again.
        browser.get(console);
        until(EXECUTION_WAIT, d -> {
            if (d.findElements(testId("subscription-panel")).isEmpty()) {
                d.navigate().refresh();
                return null;
            }
            return true;
        });
        status("subscription-status", "active");
        List<WebElement> invoices = browser.findElements(testId("invoice-row"));
        assertEquals(1, invoices.size(), "the subscription's first invoice");
        assertEquals("paid", invoices.get(0).getAttribute("data-status"));
        shot("console-subscription");
        // The operator cancels it at its period's end there; it runs until then.
        click("subscription-cancel");
        confirm();
        visible("subscription-ending");
        visible("subscription-resume");
        status("subscription-status", "active");
        shot("console-subscription-ending");
    }

    @Test
    void operatorRetriesAFailedExecutionFromTheConsole(Suite suite) {
        String tenant = suite.newTenant("browser-retry");
        Api admin = new Api(suite, TestTokens.token(tenant, "admin"));
        Workflows workflows = new Workflows(suite, admin);
        String customer = "cust-" + UUID.randomUUID();
        // One call to the licensing-service, not retried, so that its being down fails the execution at once.
        workflows.store(Map.of(
                "name", "browser_licenses_check",
                "version", "1.0.0",
                "inputs", List.of("customer_id"),
                "steps", List.of(Map.of(
                        "name", "licenses", "type", "service_call",
                        "service", "licensing_service", "method", "get_licenses",
                        "params", Map.of("customer_id", "${customer_id}"),
                        "retry", Map.of("max_attempts", 1)))));

        ServiceProcess licensing = suite.service(Service.LICENSING);
        String id;
        licensing.stop(Duration.ofSeconds(10));
        try {
            id = workflows.start("browser_licenses_check", Map.of("customer_id", customer), "retry-" + customer);
            workflows.awaitStatus(id, EXECUTION_WAIT, "failed");
        } finally {
            licensing.startAndAwaitReady(suite.readyTimeout());
        }

        browser.get(suite.url(Service.WORKFLOW) + "/console/#/executions?status=failed");
        signIn(TestTokens.token(tenant, "operator"), "console-signin");
        WebElement row = until(WAIT, ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='execution-row'][data-execution-id='" + id + "']")));
        assertEquals("failed", row.getAttribute("data-status"));
        assertEquals("failed", row.findElement(testId("execution-row-status")).getText());
        shot("console-failed-executions");
        row.findElement(testId("execution-link")).click();
        status("execution-status", "failed");
        assertFalse(visible("step-error").getText().isBlank(), "the failed step shows its error");
        shot("console-execution-failed");

        click("execution-retry");
        confirm();
        status("execution-status", "completed", EXECUTION_WAIT);
        shot("console-execution-retried");
        List<String> runs = browser.findElements(By.cssSelector("[data-testid='step-row'][data-step-name='licenses']"))
                .stream().map(step -> step.getAttribute("data-status")).toList();
        assertTrue(runs.contains("completed"), "the retried step completed: " + runs);
        assertEquals("completed", workflows.execution(id).getString("status"));
    }

    /**
     * The console's overview (issue 20) in a tenant of its own, after two journeys: one walked to a
     * live customer, one waiting for its quote's acceptance. The funnel shows what the stats API
     * answers the same reader (counts only grow: between a read before and one after); the chart
     * is drawn (uPlot from the service's WebJar, under the pages' CSP); the waiting journey's row
     * leads to its execution; the range switch reads the 7 days.
     */
    @Test
    void aReaderFollowsTheTenantsJourneysOnTheOverview(Suite suite) {
        String tenant = suite.newTenant("browser-overview");
        Api operator = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, operator);
        Onboarding onboarding = new Onboarding(operator, workflows);
        onboarding.subscriber("overview");
        Onboarding.Customer waiting = onboarding.awaitQuote(onboarding.start("manual"), EXECUTION_WAIT);
        int journeys = 2;
        String readerToken = TestTokens.token(tenant, "reader");
        Api reader = new Api(suite, readerToken);

        Map<String, Long> before = funnel(reader, "24h");
        assertEquals(Stream.concat(FUNNEL_STAGES.stream(), LIFECYCLE_STAGES.stream()).toList(), List.copyOf(before.keySet()),
                "the stages in order");
        browser.get(suite.url(Service.WORKFLOW) + "/console/#/overview");
        signIn(readerToken, "console-signin-overview");
        Map<String, Long> shown = shownFunnel("24h");
        Map<String, Long> after = funnel(reader, "24h");
        assertBetween(before, shown, after);
        assertTrue(shown.get("lead") >= journeys, "both journeys are leads: " + shown);
        assertTrue(shown.get("active") >= 1, "one journey went live: " + shown);
        assertTrue(visible("nav-overview").getAttribute("class").contains("active"), "the overview's nav link is the current one");

        // Executions per workflow: the chart drawn by uPlot (its script and stylesheet from this service),
        // and the totals, which lead to the executions list.
        until(WAIT, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='overview-chart'][data-state='loaded'] canvas")));
        assertEquals("relative", browser.executeScript("return getComputedStyle(document.querySelector('.uplot .u-wrap')).position"),
                "uPlot's stylesheet applies");
        WebElement journeysRow = visible("overview-workflows")
                .findElement(By.cssSelector("[data-testid='workflow-stats-row'][data-workflow='lead_to_customer']"));
        assertTrue(journeysRow.findElement(testId("workflow-executions-link")).getAttribute("href")
                .endsWith("#/executions?workflow_name=lead_to_customer"));
        for (String part : List.of("overview-funnel", "overview-chart", "overview-workflows", "overview-steps", "overview-waiting-longest",
                "overview-past-deadline", "overview-events")) {
            String state = until(WAIT, d -> {
                String s = d.findElement(testId(part)).getAttribute("data-state");
                return "loading".equals(s) ? null : s;
            });
            assertTrue(state.equals("loaded") || state.equals("empty"), part + " is " + state);
        }
        shot("console-overview");

        // The journey that waits is among those waiting longest; its row opens its execution.
        By waitingRow = By.cssSelector("[data-testid='overview-waiting-longest'] [data-testid='waiting-row'][data-execution-id='"
                + waiting.executionId() + "']");
        WebElement row = until(EXECUTION_WAIT, d -> {
            List<WebElement> rows = d.findElements(waitingRow);
            if (rows.isEmpty()) {
                d.findElement(testId("overview-refresh")).click();
                return null;
            }
            return rows.get(0);
        });
        row.findElement(testId("waiting-link")).click();
        until(WAIT, d -> d.getCurrentUrl().endsWith("#/executions/" + waiting.executionId()) ? true : null);
        status("execution-status", "waiting");
        shot("console-overview-waiting-execution");

        // The range: 7 days, read again (and kept in the address).
        browser.navigate().back();
        visible("overview-funnel");
        Map<String, Long> weekBefore = funnel(reader, "7d");
        new Select(visible("overview-range")).selectByValue("7d");
        Map<String, Long> week = shownFunnel("7d");
        assertBetween(weekBefore, week, funnel(reader, "7d"));
        assertTrue(browser.getCurrentUrl().endsWith("#/overview?range=7d"), browser.getCurrentUrl());
        assertTrue(week.get("lead") >= shown.get("lead"), "7 days hold the day: " + week + " " + shown);
        assertEquals("7d", new Select(visible("overview-range")).getFirstSelectedOption().getAttribute("value"));
        shot("console-overview-7d");
    }

    @Test
    void aReaderSeesTheCrmActionsOffWithTheReasonAndTheApiRefusesThem(Suite suite) {
        // A lead of Keycloak's tenant, made with a token signed for it by the suite.
        Api operator = new Api(suite, TestTokens.token(IdentityProvider.TENANT, "operator"));
        String leadId = new Onboarding(operator, new Workflows(suite, operator)).create("reader").leadId();

        browser.get(suite.url(Service.CRM) + "/crm/");
        signInAtKeycloak(suite.identityProvider(), "reader", "crm-signin-reader");
        // The token Keycloak gave the page.
        String reader = (String) browser.executeScript("return sessionStorage.getItem('controlplane.crm.token')");
        assertTrue(reader != null && reader.contains("."), "the page holds Keycloak's access token");
        WebElement newLead = visible("lead-new");
        assertFalse(newLead.isEnabled(), "a reader cannot open the new-lead form");
        assertTrue(newLead.getAttribute("title").contains("Needs the operator role"), newLead.getAttribute("title"));

        browser.get(suite.url(Service.CRM) + "/crm/#/leads/" + leadId);
        status("lead-status", "new");
        shot("crm-lead-reader");
        for (String action : List.of("lead-qualify", "lead-generate-quote")) {
            WebElement button = visible(action);
            assertFalse(button.isEnabled(), action + " is off for a reader");
            assertTrue(button.getAttribute("title").contains("Needs the operator role"), action + ": " + button.getAttribute("title"));
        }
        // What the page keeps from a reader, the API refuses too.
        new Api(suite, reader).to(Service.CRM).post("/api/v1/crm/leads/{id}/qualify", leadId).then().statusCode(403);

        // Signing out ends the session at Keycloak too, and the page comes back signed out.
        click("signout");
        visible("signin-idp");
        shot("crm-signed-out");
        assertTrue(browser.findElements(By.id("topbar")).stream().noneMatch(WebElement::isDisplayed), "signed out");
        click("signin-idp");
        until(WAIT, ExpectedConditions.visibilityOfElementLocated(By.id("kc-login")));
        shot("keycloak-asks-again");
    }

    @Test
    void aVisitorBuysFromTheShopDeclinedFirstThenPaidOnce(Suite suite) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String slug = "e2e-shop-" + run;
        // "manual.": the visitor pays in this browser, not the suite's payer.
        String email = "manual.shop-browser." + run + "@example.net";

        // The catalog, without signing in: two products into a new cart.
        browser.get(suite.url(Service.SALES) + "/shop/");
        visible("product-isp-core");
        visible("product-support-desk");
        assertFalse(visible("description-isp-core").getText().isBlank(), "the catalog describes its products");
        assertFalse(visible("price-amount-isp-core").getAttribute("data-amount").isBlank(), "the catalog shows prices");
        shot("shop-catalog");
        click("add-isp-core");
        until(WAIT, ExpectedConditions.textToBe(testId("in-cart-isp-core"), "In your cart: 1"));
        click("add-support-desk");
        until(WAIT, ExpectedConditions.textToBe(testId("in-cart-support-desk"), "In your cart: 1"));
        String cartId = (String) browser.executeScript("return localStorage.getItem('shop.cart')");
        assertTrue(cartId != null && !cartId.isBlank(), "the page remembers its cart");

        // The cart: support-desk's quantity to 3 (typed, then the field left), its line and the total priced again.
        click("nav-cart");
        visible("line-isp-core");
        BigDecimal ispCore = amount("line-total-isp-core");
        BigDecimal seat = amount("line-price-support-desk");
        WebElement quantity = visible("line-qty-support-desk");
        quantity.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3", Keys.TAB);
        BigDecimal seats = seat.multiply(BigDecimal.valueOf(3));
        BigDecimal total = ispCore.add(seats);
        until(WAIT, ExpectedConditions.attributeToBe(testId("line-total-support-desk"), "data-amount", seats.toPlainString()));
        until(WAIT, ExpectedConditions.attributeToBe(testId("cart-total"), "data-amount", total.toPlainString()));
        assertEquals("3", visible("line-qty-support-desk").getAttribute("value"));
        shows("line-total-support-desk", seats);
        shows("cart-total", total);
        String currency = visible("cart-total").getAttribute("data-currency");
        shot("shop-cart");

        // Checkout: the visitor's details, a slug the page finds available, and a double click on Pay.
        click("checkout");
        type("checkout-name", "Grace Browser");
        type("checkout-email", email);
        type("checkout-company", "Headless Networks");
        type("checkout-slug", slug);
        until(WAIT, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='slug-status'][data-state='available']")));
        new Select(visible("checkout-region")).selectByValue("eu-west");
        assertEquals(total.toPlainString(), visible("checkout-total").getAttribute("data-amount"), "checkout shows the cart's total");
        shot("shop-checkout");
        new Actions(browser).doubleClick(visible("pay")).perform();

        // The order page sends the browser on to Stripe's hosted page (the stand-in's): its card is declined first.
        String page = until(WAIT, d -> d.getCurrentUrl().startsWith(suite.stripeUrl() + "/checkout/pay/cs_") ? d.getCurrentUrl() : null);
        String session = page.replaceAll(".*/checkout/pay/([^/?#]+).*", "$1");
        assertEquals(total.toPlainString() + " " + currency, visible("amount").getText(), "Stripe's page asks for the cart's total");
        assertEquals(email, visible("customer-email").getText());
        shot("shop-stripe");
        click("decline-button");
        until(WAIT, ExpectedConditions.textToBe(testId("message"), "Your card was declined."));
        assertEquals("open", visible("status").getText(), "a declined card leaves the page open");
        shot("shop-stripe-declined");
        // Nothing was paid: billing's payment of the session (cs_test_<payment id>) still waits.
        Api vendor = new Api(suite, TestTokens.token(suite.shopTenant(), "reader"));
        String paymentId = session.substring("cs_test_".length());
        String quoteId = vendor.to(Service.BILLING).get("/api/v1/billing/payments/{id}", paymentId).then().statusCode(200)
                .body("status", equalTo("pending")).extract().path("quote_id");

        // Paid on the same page: back on the shop, the order page follows the journey to live.
        click("pay-button");
        until(WAIT, d -> d.getCurrentUrl().startsWith(suite.url(Service.SALES) + "/shop/#/order/") ? true : null);
        assertTrue(browser.getCurrentUrl().endsWith("#/order/" + cartId), "the order of the cart: " + browser.getCurrentUrl());
        status("order-status", "live", EXECUTION_WAIT);
        String tenantUrl = "https://" + slug + "." + Suite.TENANT_BASE_DOMAIN;
        WebElement tenant = visible("tenant-url");
        assertEquals(tenantUrl, tenant.getText());
        assertEquals(tenantUrl, tenant.getAttribute("href").replaceAll("/$", ""));
        for (String step : List.of("paid", "licensed", "provisioned", "live")) {
            assertTrue(visible("order-step-" + step).getAttribute("class").contains("done"), step + " is done");
        }
        assertTrue(browser.findElements(testId("order-failed")).isEmpty(), "the order did not fail");
        assertTrue(browser.findElements(testId("pay-link")).isEmpty(), "nothing is left to pay");
        shot("shop-order-live");
        JsonPath checkout = shopApi("carts/" + cartId + "/checkout");
        assertEquals("live", checkout.getString("status"), checkout.prettify());
        assertEquals(quoteId, checkout.getString("quote_id"), "the quote Stripe's page was paying for");

        // One welcome email.
        await("the welcome email to " + email).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Shop.welcomes(suite, email).size() == 1);

        // As the vendor sees it: one order, one payment, succeeded, of the cart's total.
        vendor.to(Service.SALES).queryParam("organization_slug", slug).get("/api/v1/sales/orders").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].quote_id", equalTo(quoteId)).body("items[0].status", equalTo("active"));
        vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId).then().statusCode(200)
                .body("id", equalTo(paymentId)).body("status", equalTo("succeeded")).body("amount", equalTo(total))
                .body("currency", equalTo(currency));
        assertEquals(1, paymentsOf(vendor, quoteId), "one payment of the quote");
        // And at Stripe: one Checkout Session asked for (one Idempotency-Key), declined once and paid once, complete.
        List<LoggedRequest> opened = suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/checkout/sessions")))
                .stream().filter(r -> r.getBodyAsString().contains(quoteId)).toList();
        assertEquals(1, opened.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count(),
                "one Checkout Session for the quote: " + opened.size() + " requests");
        assertEquals(1, suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/checkout/pay/" + session + "/decline"))).size());
        assertEquals(1, suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/checkout/pay/" + session + "/pay"))).size());
        RestAssured.given().get(suite.stripeUrl() + "/v1/checkout/sessions/{id}", session).then().statusCode(200)
                .body("status", equalTo("complete")).body("payment_status", equalTo("paid"))
                .body("amount_total", equalTo(total.movePointRight(2).intValueExact())).body("customer_email", equalTo(email));
        assertEquals(1, Shop.welcomes(suite, email).size(), "one welcome email");
    }

    private static final List<String> FUNNEL_STAGES = List.of("lead", "quote", "accepted", "paid", "licensed", "active");
    /** After the funnel, counted only: a subscription's lifecycle. */
    private static final List<String> LIFECYCLE_STAGES = List.of("renewed", "past_due", "suspended", "churned");

    /** {@code GET /api/v1/workflows/stats/funnel}: reached per stage, in the API's order. */
    private static Map<String, Long> funnel(Api api, String range) {
        List<Map<String, Object>> stages = api.to(Service.WORKFLOW).queryParam("range", range).get("/api/v1/workflows/stats/funnel")
                .then().statusCode(200).body("range", equalTo(range)).extract().jsonPath().getList("stages");
        Map<String, Long> reached = new LinkedHashMap<>();
        stages.forEach(stage -> reached.put((String) stage.get("stage"), ((Number) stage.get("reached")).longValue()));
        return reached;
    }

    /** What the overview's funnel shows per stage once it has read the range ({@code data-reached} of each stage's row). */
    private Map<String, Long> shownFunnel(String range) {
        until(WAIT, ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='overview-funnel'][data-range='" + range + "'][data-state='loaded']")));
        Map<String, Long> shown = new LinkedHashMap<>();
        for (String stage : FUNNEL_STAGES) {
            shown.put(stage, Long.parseLong(visible("funnel-stage-" + stage).getAttribute("data-reached")));
        }
        for (String stage : LIFECYCLE_STAGES) {
            shown.put(stage, Long.parseLong(visible("lifecycle-" + stage).getAttribute("data-reached")));
        }
        return shown;
    }

    /** Each stage's count on the page lies between the API's answers before and after (counts only grow). */
    private static void assertBetween(Map<String, Long> before, Map<String, Long> shown, Map<String, Long> after) {
        for (String stage : shown.keySet()) {
            long n = shown.get(stage);
            assertTrue(before.get(stage) <= n && n <= after.get(stage),
                    stage + ": the page shows " + n + ", the API answered " + before.get(stage) + " before and " + after.get(stage) + " after");
        }
    }

    /** The amount an element shows ({@code data-amount}, two decimals as the API wrote it). */
    private BigDecimal amount(String testId) {
        return new BigDecimal(visible(testId).getAttribute("data-amount"));
    }

    /** That the element's text shows {@code amount} (in the browser's format: a currency sign, maybe grouping). */
    private void shows(String testId, BigDecimal amount) {
        String text = visible(testId).getText();
        assertTrue(text.replace(",", "").contains(amount.toPlainString()), testId + " shows " + amount + ": " + text);
    }

    /** A GET of the shop API from the shop's page, with the visitor's cookies, as the page's own calls are made. */
    private JsonPath shopApi(String path) {
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(new URL('../api/v1/shop/' + arguments[0], document.baseURI),
                      { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
                  .then((r) => r.text().then((body) => done({ status: r.status, body })))
                  .catch((e) => done({ status: 0, body: String(e) }));
                """, path);
        assertEquals(200L, answer.get("status"), path + ": " + answer.get("body"));
        return JsonPath.from((String) answer.get("body"));
    }

    /** How many of billing's payments (every page of them) are the quote's. */
    private static int paymentsOf(Api vendor, String quoteId) {
        int found = 0;
        for (int page = 0, seen = 0; ; page++) {
            JsonPath list = vendor.to(Service.BILLING).queryParam("page", page).queryParam("size", 100)
                    .get("/api/v1/billing/payments").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = list.getList("items");
            found += (int) items.stream().filter(p -> quoteId.equals(p.get("quote_id"))).count();
            seen += items.size();
            if (items.isEmpty() || seen >= list.getLong("total")) {
                return found;
            }
        }
    }

    /**
     * Signs in with the page's "Sign in with your account": Keycloak's login page (its own form, found
     * by its theme's ids) when the browser has no Keycloak session yet, then back to the page; or not
     * at all when the page found the browser signed in already.
     */
    private void signInAtKeycloak(IdentityProvider keycloak, String user, String shot) {
        // (WebDriverWait waits on through false: the answers are names.)
        String page = until(WAIT, d -> d.findElements(By.id("topbar")).stream().anyMatch(WebElement::isDisplayed)
                ? "signed in" : d.findElements(testId("signin-idp")).stream().anyMatch(WebElement::isDisplayed) ? "sign-in" : null);
        if (page.equals("signed in")) {
            // The service took the browser's session at the identity provider by itself (single sign-on).
            shot(shot + "-by-session");
            return;
        }
        click("signin-idp");
        String next = until(WAIT, d -> !d.findElements(By.id("kc-login")).isEmpty() ? "login"
                : d.findElements(By.id("topbar")).stream().anyMatch(WebElement::isDisplayed) ? "signed in" : null);
        if (next.equals("login")) {
            assertTrue(browser.getCurrentUrl().startsWith(keycloak.issuer() + "/"), "Keycloak's login page: " + browser.getCurrentUrl());
            browser.findElement(By.id("username")).sendKeys(user);
            browser.findElement(By.id("password")).sendKeys(keycloak.password(user));
            shot(shot);
            browser.findElement(By.id("kc-login")).click();
        }
        until(WAIT, ExpectedConditions.visibilityOfElementLocated(By.id("topbar")));
        shot(shot + "-done");
    }

    private void signIn(String token, String shot) {
        visible("signin-form");
        type("signin-token", token);
        shot(shot);
        click("signin-submit");
        until(WAIT, ExpectedConditions.invisibilityOfElementLocated(testId("signin-form")));
    }

    /** Accepts the confirmation dialog the last action opened. */
    private void confirm() {
        visible("confirm-dialog");
        shot("confirm");
        click("confirm-ok");
        until(WAIT, ExpectedConditions.invisibilityOfElementLocated(testId("confirm-dialog")));
    }

    private void status(String testId, String status) {
        status(testId, status, WAIT);
    }

    private void status(String testId, String status, Duration timeout) {
        By selector = By.cssSelector("[data-testid='" + testId + "'][data-status='" + status + "']");
        until(timeout, ExpectedConditions.visibilityOfElementLocated(selector));
    }

    private void type(String testId, String text) {
        WebElement field = visible(testId);
        field.clear();
        field.sendKeys(text);
    }

    private void click(String testId) {
        until(WAIT, ExpectedConditions.elementToBeClickable(testId(testId))).click();
    }

    private WebElement visible(String testId) {
        return until(WAIT, ExpectedConditions.visibilityOfElementLocated(testId(testId)));
    }

    /** Waits for {@code condition}; when it gives up, saves the page as it was, so that the report shows what the browser showed. */
    private <V> V until(Duration timeout, Function<WebDriver, V> condition) {
        try {
            // A page that draws a view again replaces the elements a condition was looking at: looked for again.
            return new WebDriverWait(browser, timeout).ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            shot("timed-out");
            throw e;
        }
    }

    private static By testId(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    private void shot(String name) {
        Path file = shots.resolve(String.format("%s-%02d-%s.png", test, SHOTS.incrementAndGet(), name));
        try {
            Files.move(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
