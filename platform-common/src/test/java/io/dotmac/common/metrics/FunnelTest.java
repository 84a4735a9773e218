package io.dotmac.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class FunnelTest {

    @Test
    void countsEachStageUnderOneMetric() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Funnel funnel = new Funnel(registry);
        funnel.reached(Funnel.Stage.LEAD);
        funnel.reached(Funnel.Stage.LEAD);
        funnel.reached(Funnel.Stage.PAID);
        assertEquals(2.0, registry.get("controlplane.funnel").tag("stage", "lead").counter().count());
        assertEquals(1.0, registry.get("controlplane.funnel").tag("stage", "paid").counter().count());
    }
}
