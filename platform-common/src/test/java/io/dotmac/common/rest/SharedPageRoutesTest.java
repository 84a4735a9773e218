package io.dotmac.common.rest;

import io.dotmac.common.testing.StaticPageChecks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The pages' shared script and stylesheet, as this module serves them to every service. */
@QuarkusTest
class SharedPageRoutesTest {

    @Test
    void theSharedFilesAreServedWithThePagesHeaders() {
        StaticPageChecks.sharedFilesServed();
    }

    @Test
    void theSharedScriptNeverParsesDataAsMarkup() {
        StaticPageChecks.neverParsesDataAsMarkup("/_pages/common.js");
    }
}
