package io.dotmac.common.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Browser pages a service serves as static files under {@code META-INF/resources/<path>/} (the
 * operator console, the CRM pages): they hold no data and need no token; everything they show comes
 * from the authenticated API, in the caller's tenant. {@code <path>} leads to {@code <path>/} (the
 * pages' relative links resolve against it), and every response under it carries a strict
 * Content-Security-Policy (only the pages' own script and style, only this origin's API, no
 * framing), so that data shown on them can never run as code. What all pages share (their common
 * script and stylesheet) is under {@value #SHARED_PATH}, with the same headers (see
 * {@link SharedPageRoutes}).
 */
public final class StaticPages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Where every service serves the pages' shared files, from platform-common's META-INF/resources. */
    static final String SHARED_PATH = "/_pages";

    private StaticPages() {
    }

    /** Adds the redirect and the security headers for the pages under {@code path} (e.g. "/console"). */
    public static void mount(Router router, String path) {
        String directory = path.substring(path.lastIndexOf('/') + 1) + "/";
        router.route(path).handler(ctx -> {
            if (path.equals(ctx.request().path())) {
                // Relative, so that it also holds behind a proxy that mounts the service under a prefix.
                ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, directory).end();
            } else {
                ctx.next();
            }
        });
        secure(router, path);
    }

    /** Adds the security headers to every response under {@code path}. */
    static void secure(Router router, String path) {
        router.route(path + "/*").handler(ctx -> {
            ctx.addHeadersEndHandler(ignored -> ctx.response().headers()
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer")
                    // Revalidated on every load, so that a new version of the pages is used at once.
                    .set(HttpHeaders.CACHE_CONTROL, "no-cache"));
            ctx.next();
        });
    }
}
