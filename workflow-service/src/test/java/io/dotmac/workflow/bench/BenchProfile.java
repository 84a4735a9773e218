package io.dotmac.workflow.bench;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Production-like engine settings for the benchmark, and the instant HTTP stub. */
public class BenchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "workflow.lease-duration", "30s",
                "workflow.poll-interval", "1s",
                "quarkus.log.category.\"io.dotmac\".level", "WARN",
                "quarkus.rest-client.connection-pool-size", "128",
                // The benchmark measures the engine, not the quotas that keep one tenant from flooding it.
                "workflow.quota.defaults.starts-per-second", "1000000",
                "workflow.quota.defaults.start-burst", "1000000",
                // A waiting condition is re-checked when woken, not on a timer: the noisy-neighbour row times wake-ups.
                "workflow.condition-recheck-initial", "10m",
                "workflow.condition-recheck-max", "10m");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(InstantHttpStub.class));
    }
}
