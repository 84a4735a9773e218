package io.dotmac.sales;

import io.dotmac.common.testing.ServiceFoundationTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SalesFoundationTest extends ServiceFoundationTest {

    @Override
    protected String[] extraReadinessChecks() {
        return new String[] {"Kafka connection health check"};
    }
}
