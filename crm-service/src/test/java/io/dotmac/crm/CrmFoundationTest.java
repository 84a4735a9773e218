package io.dotmac.crm;

import io.dotmac.common.testing.ServiceFoundationTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CrmFoundationTest extends ServiceFoundationTest {

    @Override
    protected String[] extraReadinessChecks() {
        return new String[] {"Kafka connection health check"};
    }
}
