package io.dotmac.workflow.execution;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The engine's poller idle, so that a test alone claims and writes the executions it creates. */
public class NoPollingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("workflow.poll-interval", "1h");
    }
}
