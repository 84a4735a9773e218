package io.dotmac.workflow.console;

import static io.dotmac.common.testing.StaticPageChecks.page;
import static io.dotmac.common.testing.StaticPageChecks.secured;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.dotmac.common.testing.StaticPageChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator console's static files are served without a token (they hold no data), with a
 * strict Content-Security-Policy; the API they read still needs one.
 */
@QuarkusTest
class ConsoleTest {

    /** uPlot's files, from its WebJar (the pom's org.webjars.npm:uplot): the overview's charts. */
    private static final String UPLOT = "/webjars/uplot/1.6.30/dist/";

    @Test
    void theConsoleIsServedWithoutAToken() {
        for (String path : new String[] {"/console/", "/console/index.html"}) {
            ValidatableResponse response = page(path).statusCode(200).contentType(startsWith("text/html"))
                    .body(containsString("<script type=\"module\" src=\"app.js\"></script>"))
                    .body(containsString("href=\"../_pages/common.css\""))
                    .body(containsString("href=\"console.css\""))
                    .body(containsString("data-testid=\"signin-token\""))
                    .body(containsString("data-testid=\"confirm-dialog\""))
                    .body(containsString("href=\"../webjars/uplot/1.6.30/dist/uPlot.min.css\""))
                    .body(containsString("data-testid=\"nav-overview\""));
            secured(response);
        }
        secured(page("/console/app.js").statusCode(200).contentType(containsString("javascript"))
                .body(containsString("const API_ROOT")).body(containsString("from '../_pages/common.js'")));
        secured(page("/console/console.css").statusCode(200).contentType(startsWith("text/css"))
                .body(containsString(".row-failed")));
        page("/console/no-such-file.js").statusCode(404);
    }

    /**
     * The console shows statuses as the API spells them (the original guide's lowercase), reads an
     * execution's fields at the top level and its steps by the guide's names.
     */
    @Test
    void theConsoleSpeaksTheApisStatusesAndFieldNames() {
        page("/console/app.js").statusCode(200)
                .body(containsString("const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];"))
                .body(containsString("from './execution/view.js'")).body(not(containsString("'COMPLETED'")));
        // The execution page's modules, served beside it.
        page("/console/execution/render.js").statusCode(200).contentType(containsString("javascript"))
                .body(containsString("step.step_name")).body(containsString("step.output_data"))
                .body(not(containsString(".summary")));
        page("/console/execution/state.js").statusCode(200)
                .body(containsString("new Set(['completed', 'failed', 'cancelled'])")).body(not(containsString("'COMPLETED'")));
        page("/console/execution/view.js").statusCode(200).body(containsString("from './state.js'"));
        page("/console/widgets.js").statusCode(200).body(containsString("export function jsonBlock"));
        page("/console/console.css").statusCode(200)
                .body(containsString(".status-completed")).body(containsString(".status-failed"))
                .body(containsString(".status-waiting")).body(not(containsString(".status-COMPLETED")));
    }

    /**
     * The overview's modules, and the chart library they load: uPlot from its WebJar, served by this
     * service (the pages' CSP allows scripts and styles of this origin only), without a token like
     * the console's own files, a browser running it as a module only with a JavaScript type.
     */
    @Test
    void theOverviewAndItsChartLibraryAreServedWithoutAToken() {
        page("/console/app.js").statusCode(200).body(containsString("from './overview.js'"));
        secured(page("/console/overview.js").statusCode(200).contentType(containsString("javascript"))
                .body(containsString("export function overviewView(")).body(containsString("'/stats/funnel'")));
        secured(page("/console/charts.js").statusCode(200).contentType(containsString("javascript"))
                .body(containsString("UPLOT_VERSION = '1.6.30'")).body(containsString("`../webjars/uplot/${UPLOT_VERSION}/dist/uPlot.esm.js`")));
        page(UPLOT + "uPlot.esm.js").statusCode(200).contentType(startsWith("text/javascript"))
                .body(containsString("export { uPlot as default };"));
        page(UPLOT + "uPlot.min.css").statusCode(200).contentType(startsWith("text/css")).body(containsString(".u-legend"));
        page(UPLOT + "no-such-file.js").statusCode(404);
        page("/webjars/no-such-library/1.0.0/index.js").statusCode(404);
    }

    @Test
    void theFilesThePagesImportAreServedFromPlatformCommon() {
        StaticPageChecks.sharedFilesServed();
    }

    @Test
    void consoleWithoutASlashLeadsToTheConsole() {
        page("/console").statusCode(301).header("Location", equalTo("console/"));
    }

    @Test
    void theApiBehindTheConsoleStillNeedsAToken() {
        page("/api/v1/workflows/executions").statusCode(401).contentType("application/problem+json");
        page("/api/v1/workflows").statusCode(401).contentType("application/problem+json");
    }

    @Test
    void theScriptsNeverParseDataAsMarkup() {
        for (String script : List.of("app.js", "widgets.js", "execution/state.js", "execution/render.js", "execution/view.js",
                "overview.js", "charts.js")) {
            StaticPageChecks.neverParsesDataAsMarkup("/console/" + script);
        }
    }
}
