package io.dotmac.notification;

import io.dotmac.common.testing.ServiceFoundationTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class NotificationFoundationTest extends ServiceFoundationTest {
}
