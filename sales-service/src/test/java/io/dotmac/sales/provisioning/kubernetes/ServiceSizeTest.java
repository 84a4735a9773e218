package io.dotmac.sales.provisioning.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The pods an ordered service runs and their size, from the cost per unit and the quantity: rounded up, never below one pod. */
class ServiceSizeTest {

    @Test
    void podsAreRoundedUpAndEachGetsAnEqualShareRoundedUp() {
        // 7 seats at 0.4 pod, 100m and 1Gi each: 3 pods (2.8 rounded up) of 234m (700m / 3) and 2390Mi (7Gi / 3).
        assertEquals(new ServiceSize("support-desk", 3, 234, 2390), ServiceSize.of("support-desk", perUnit("100m", "1Gi", "0.4"), 7));
    }

    @Test
    void aServiceRunsAtLeastOnePod() {
        assertEquals(new ServiceSize("support-desk", 1, 150, 192), ServiceSize.of("support-desk", perUnit("0.05", "64Mi", "0.1"), 3));
    }

    private static KubernetesProvisionerConfig.Service perUnit(String cpu, String memory, String pods) {
        return new PerUnit("registry.test/support-desk:1.0", 8080, cpu, memory, new BigDecimal(pods));
    }

    // A named class: ArC refuses an anonymous one that inherits the table's constraints.
    private record PerUnit(String image, int port, String cpu, String memory, BigDecimal pods)
            implements KubernetesProvisionerConfig.Service {
    }
}
