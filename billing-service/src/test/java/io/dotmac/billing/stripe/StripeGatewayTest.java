package io.dotmac.billing.stripe;

import static io.dotmac.billing.stripe.StripeGateway.refuseUnsafeLiveKey;
import static io.dotmac.billing.stripe.StripeGateway.refuseUnsupportedExpiry;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which keys the service starts with: a live key only when allowed, and only towards Stripe's own
 * API; and which Checkout expiry: Stripe's 30 minutes to 24 hours against Stripe, 10 seconds or
 * more against a stand-in.
 */
class StripeGatewayTest {

    static final String STRIPE = "https://api.stripe.com";
    static final String STUB = "http://127.0.0.1:12111";

    @Test
    void aTestKeyIsUsedWithAnyApiBase() {
        for (String base : new String[] {STRIPE, STUB, "https://stripe-proxy.example"}) {
            assertDoesNotThrow(() -> refuseUnsafeLiveKey("sk_test_abc", base, false), base);
            assertDoesNotThrow(() -> refuseUnsafeLiveKey("sk_test_abc", base, true), base);
            assertDoesNotThrow(() -> refuseUnsafeLiveKey("rk_test_abc", base, false), base);
        }
    }

    @Test
    void aLiveKeyIsRefusedUnlessAllowed() {
        for (String key : new String[] {"sk_live_abc", "rk_live_abc", "  sk_live_abc\n"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> refuseUnsafeLiveKey(key, STRIPE, false), key);
            assertTrue(refused.getMessage().contains("billing.stripe.allow-live"), refused.getMessage());
        }
    }

    @Test
    void anAllowedLiveKeyIsStillRefusedForAnyApiButStripes() {
        for (String base : new String[] {STUB, "http://api.stripe.com", "https://api.stripe.com.example",
                "https://api.stripe.com/v1", "https://stripe-proxy.example"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> refuseUnsafeLiveKey("sk_live_abc", base, true), base);
            assertTrue(refused.getMessage().contains(base), refused.getMessage());
            assertThrows(IllegalStateException.class, () -> refuseUnsafeLiveKey("rk_live_abc", base, true), base);
        }
    }

    @Test
    void anAllowedLiveKeyIsAcceptedForStripesApi() {
        assertDoesNotThrow(() -> refuseUnsafeLiveKey("sk_live_abc", STRIPE, true));
        assertDoesNotThrow(() -> refuseUnsafeLiveKey("sk_live_abc", STRIPE + "/", true));
        assertDoesNotThrow(() -> refuseUnsafeLiveKey("rk_live_abc", STRIPE, true));
    }

    @Test
    void stripesOwnApiTakesACheckoutExpiryOfThirtyMinutesToADayOnly() {
        for (String base : new String[] {STRIPE, STRIPE + "/"}) {
            for (Duration within : new Duration[] {Duration.ofMinutes(30), Duration.ofHours(3), Duration.ofHours(24)}) {
                assertFalse(refuseUnsupportedExpiry(within, base), within + " " + base);
            }
            for (Duration outside : new Duration[] {Duration.ofSeconds(90), Duration.ofMinutes(29), Duration.ofHours(25)}) {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> refuseUnsupportedExpiry(outside, base), outside + " " + base);
                assertTrue(refused.getMessage().contains("30 minutes to 24 hours"), refused.getMessage());
            }
        }
    }

    @Test
    void aStandInTakesAnyCheckoutExpiryOfTenSecondsOrMoreAndSaysWhenStripeWouldNot() {
        for (String base : new String[] {STUB, "http://api.stripe.com", "https://stripe-proxy.example"}) {
            assertTrue(refuseUnsupportedExpiry(Duration.ofSeconds(10), base), base);
            assertTrue(refuseUnsupportedExpiry(Duration.ofSeconds(90), base), base);
            assertTrue(refuseUnsupportedExpiry(Duration.ofHours(48), base), base);
            assertFalse(refuseUnsupportedExpiry(Duration.ofHours(24), base), "within Stripe's bounds: nothing to say");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> refuseUnsupportedExpiry(Duration.ofSeconds(9), base), base);
            assertTrue(refused.getMessage().contains("10 seconds at least") && refused.getMessage().contains(base),
                    refused.getMessage());
        }
    }
}
