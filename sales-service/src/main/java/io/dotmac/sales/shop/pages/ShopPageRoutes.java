package io.dotmac.sales.shop.pages;

import io.dotmac.common.rest.StaticPages;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The shop's pages: static pages under {@code /shop} for anonymous visitors (see {@link StaticPages}).
 * They hold no data and need no token: everything they show comes from the public shop API
 * ({@code /api/v1/shop}), and the strict Content-Security-Policy on them keeps what the API returns
 * (product names, descriptions) from ever running as code.
 */
@ApplicationScoped
public class ShopPageRoutes {

    static final String PATH = "/shop";

    void routes(@Observes Router router) {
        StaticPages.mount(router, PATH);
    }
}
