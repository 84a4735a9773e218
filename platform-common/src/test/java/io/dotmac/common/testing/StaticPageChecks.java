package io.dotmac.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

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

    /** Server data reaches the page only as text; these are the ways a script could turn it into markup or code. */
    public static void neverParsesDataAsMarkup(String scriptPath) {
        page(scriptPath).statusCode(200).body(allOf(not(containsString("innerHTML")), not(containsString("outerHTML")),
                not(containsString("insertAdjacentHTML")), not(containsString("document.write")), not(containsString("eval(")),
                not(containsString("new Function"))));
    }
}
