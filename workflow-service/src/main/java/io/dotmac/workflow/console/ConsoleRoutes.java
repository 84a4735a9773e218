package io.dotmac.workflow.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The operator console: static files under {@code META-INF/resources/console/} that hold no data
 * and need no token; everything they show comes from the authenticated API, in the caller's tenant.
 * Here: {@code /console} leads to {@code /console/} (the page's relative links resolve against it),
 * and the console's responses carry a strict Content-Security-Policy (only its own script and
 * style, only this origin's API, no framing), so that data shown on it can never run as code.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String PATH = "/console";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    void routes(@Observes Router router) {
        router.route(PATH).handler(ctx -> {
            if (PATH.equals(ctx.request().path())) {
                // Relative, so that it also holds behind a proxy that mounts the service under a prefix.
                ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "console/").end();
            } else {
                ctx.next();
            }
        });
        router.route(PATH + "/*").handler(ctx -> {
            ctx.addHeadersEndHandler(ignored -> ctx.response().headers()
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer")
                    // Revalidated on every load, so a new version of the console is used at once.
                    .set(HttpHeaders.CACHE_CONTROL, "no-cache"));
            ctx.next();
        });
    }
}
