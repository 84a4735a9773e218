package io.dotmac.billing.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.dotmac.standin.stripe.HostedCheckout;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stands in for Stripe's API: one WireMock server on a free loopback port, answering with the
 * mappings under src/test/resources/stripe-stub (the ones the local demo uses too), that
 * stripe-java is pointed at, so every test drives the real client over real HTTP. Checkout
 * Sessions are kept by the {@link HostedCheckout} extension, whose page a test can pay on; its
 * webhooks, signed with {@link #WEBHOOK_SECRET}, go nowhere until a test names billing's endpoint
 * ({@link #checkout()}{@code .sendWebhooksTo(...)}: the test port is known only once the app
 * runs). The key and the webhook secret are test values, not secrets.
 */
public class StripeStub implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk_test_billing_stub_not_a_secret";
    public static final String WEBHOOK_SECRET = "whsec_billing_test_only_not_a_secret";

    private static WireMockServer server;
    private static HostedCheckout checkout;

    public static WireMockServer server() {
        return server;
    }

    /** The hosted Checkout stand-in of the running stub. */
    public static HostedCheckout checkout() {
        return checkout;
    }

    @Override
    public Map<String, String> start() {
        checkout = new HostedCheckout(null, WEBHOOK_SECRET);
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .usingFilesUnderClasspath("stripe-stub").extensions(checkout));
        server.start();
        return Map.of(
                "billing.stripe.api-base", server.baseUrl(),
                "billing.stripe.api-key", API_KEY,
                "billing.stripe.webhook-secret", WEBHOOK_SECRET);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (checkout != null) {
            checkout.stop();
        }
    }
}
