package io.dotmac.licensing;

import io.dotmac.common.testing.ServiceFoundationTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LicensingFoundationTest extends ServiceFoundationTest {
}
