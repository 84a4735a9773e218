package io.dotmac.common.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The pages' shared script and stylesheet ({@code /_pages/common.js}, {@code common.css}): Quarkus
 * serves them from this jar's {@code META-INF/resources} in every service that depends on it, so
 * every service gives them the headers {@link StaticPages} gives the pages that import them.
 */
@ApplicationScoped
class SharedPageRoutes {

    void routes(@Observes Router router) {
        StaticPages.secure(router, StaticPages.SHARED_PATH);
    }
}
