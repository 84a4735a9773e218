package io.dotmac.workflow.console;

import io.dotmac.common.rest.StaticPages;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The operator console: static pages under {@code /console} on the authenticated API (see {@link StaticPages}). */
@ApplicationScoped
public class ConsoleRoutes {

    static final String PATH = "/console";

    void routes(@Observes Router router) {
        StaticPages.mount(router, PATH);
    }
}
