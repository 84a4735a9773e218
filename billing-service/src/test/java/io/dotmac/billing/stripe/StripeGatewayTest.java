package io.dotmac.billing.stripe;

import static io.dotmac.billing.stripe.StripeGateway.refuseUnsafeLiveKey;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which keys the service starts with: a live key only when allowed, and only towards Stripe's own API. */
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
}
