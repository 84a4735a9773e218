package io.dotmac.crm.pages;

import io.dotmac.common.rest.StaticPages;
import io.dotmac.crm.config.CrmConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The CRM pages: static pages under {@code /crm} on the authenticated CRM API (see
 * {@link StaticPages}), and {@code /crm/config.json}, the public settings they need: where the
 * operator console is and which regions are offered.
 */
@ApplicationScoped
public class CrmPageRoutes {

    static final String PATH = "/crm";

    private final String config;

    CrmPageRoutes(CrmConfig crm) {
        // Nothing secret: a link target and the offered regions, the same for every caller.
        this.config = new JsonObject()
                .put("console_url", crm.consoleUrl())
                .put("regions", crm.regions())
                .encode();
    }

    void routes(@Observes Router router) {
        StaticPages.mount(router, PATH);
        router.get(PATH + "/config.json").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(config));
    }
}
