package io.dotmac.billing.subscription;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.error.DomainException.Unavailable;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The secret that signs cancellation links: none committed for production, where the links are off
 * without one, and none it would accept that is short enough to guess.
 */
class CancelLinksTest {

    /** billing-service's application.properties, read for {@code profile} with {@code environment} as the environment. */
    private static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile(profile)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(CancelLinksTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withMapping(CancelLinkConfig.class).build();
    }

    @Test
    void withoutBillingLinkSecretNoLinkIsMadeNorHonouredOutsideDevAndTest() throws IOException {
        CancelLinks off = new CancelLinks(config("prod", Map.of()).getConfigMapping(CancelLinkConfig.class));
        Unavailable refused = assertThrows(Unavailable.class, () -> off.issue("t-1", UUID.randomUUID()));
        assertTrue(refused.getMessage().contains("BILLING_LINK_SECRET"), refused.getMessage());
        assertThrows(Unavailable.class, () -> off.verify("eyJ4Ijoi.c2ln"));

        String secret = "s".repeat(CancelLinks.SHORTEST_SECRET);
        // A key but no public address: receipts would mail links to nowhere (or to loopback), so billing does not start.
        IllegalStateException nowhere = assertThrows(IllegalStateException.class, () -> new CancelLinks(
                config("prod", Map.of("BILLING_LINK_SECRET", secret)).getConfigMapping(CancelLinkConfig.class)));
        assertTrue(nowhere.getMessage().contains("BILLING_PUBLIC_URL"), nowhere.getMessage());

        CancelLinkConfig prod = config("prod", Map.of("BILLING_LINK_SECRET", secret, "BILLING_PUBLIC_URL", "https://billing.example.com/"))
                .getConfigMapping(CancelLinkConfig.class);
        assertEquals(secret, prod.secret().orElseThrow());
        assertEquals(Duration.ofDays(30), prod.validity());
        CancelLinks on = new CancelLinks(prod);
        UUID subscription = UUID.randomUUID();
        String url = on.issue("t-1", subscription).url();
        assertTrue(url.startsWith("https://billing.example.com/billing/cancel?token="), url);
        assertEquals(new CancelLinks.Link("t-1", subscription), on.verify(url.substring(url.indexOf("token=") + "token=".length())));
        for (String profile : new String[] {"dev", "test"}) {
            assertDoesNotThrow(() -> CancelLinks.refuseWeakSecret(config(profile, Map.of()).getConfigMapping(CancelLinkConfig.class)
                    .secret().orElseThrow()), profile);
        }
    }

    @Test
    void aShortSecretIsRefused() {
        for (String weak : new String[] {" ", "x".repeat(CancelLinks.SHORTEST_SECRET - 1), " " + "x".repeat(CancelLinks.SHORTEST_SECRET - 1) + " "}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> CancelLinks.refuseWeakSecret(weak), weak);
            assertTrue(refused.getMessage().contains("BILLING_LINK_SECRET"), refused.getMessage());
        }
        assertDoesNotThrow(() -> CancelLinks.refuseWeakSecret("x".repeat(CancelLinks.SHORTEST_SECRET)));
    }
}
