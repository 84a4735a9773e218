package io.dotmac.workflow;

import io.dotmac.common.testing.ServiceFoundationTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class WorkflowFoundationTest extends ServiceFoundationTest {

    @Override
    protected String[] extraReadinessChecks() {
        return new String[] {"Kafka connection health check", "SmallRye Reactive Messaging - readiness check"};
    }
}
