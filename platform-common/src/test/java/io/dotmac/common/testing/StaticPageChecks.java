package io.dotmac.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;

/** What every set of browser pages mounted with {@code StaticPages} must show, checked over HTTP without a token. */
public final class StaticPageChecks {

    private StaticPageChecks() {
    }

    /** A GET without a token that does not follow redirects. */
    public static ValidatableResponse page(String path) {
        return given().redirects().follow(false).when().get(path).then();
    }

    /** The headers StaticPages puts on every response under the pages' path. */
    public static ValidatableResponse secured(ValidatableResponse response) {
        return response.header("Content-Security-Policy", allOf(containsString("default-src 'none'"), containsString("script-src 'self'"),
                        containsString("connect-src 'self'"), containsString("frame-ancestors 'none'")))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache");
    }

    /**
     * The script and stylesheet that every set of pages imports from platform-common: served by this
     * service under /_pages/ with the pages' headers, the script with a JavaScript type (a browser
     * runs an ES module of no other type).
     */
    public static void sharedFilesServed() {
        secured(page("/_pages/common.js").statusCode(200).contentType(startsWith("text/javascript"))
                .body(containsString("export function start(")));
        secured(page("/_pages/common.css").statusCode(200).contentType(startsWith("text/css"))
                .body(containsString(".signin-card")));
        page("/_pages/no-such-file.js").statusCode(404);
    }

    /** Server data reaches the page only as text; these are the ways a script could turn it into markup or code. */
    public static void neverParsesDataAsMarkup(String scriptPath) {
        page(scriptPath).statusCode(200).body(allOf(not(containsString("innerHTML")), not(containsString("outerHTML")),
                not(containsString("insertAdjacentHTML")), not(containsString("document.write")), not(containsString("eval(")),
                not(containsString("new Function"))));
    }
}
