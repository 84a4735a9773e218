package io.dotmac.sales.shop;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Where a checkout's order page is: {@code <SHOP_PUBLIC_URL>/shop/#/order/<cart id>}, the link the
 * reminder of an unpaid checkout carries. Checked at start, since a reminder links to it days later:
 * a URL that is not an absolute http(s) one stops the service; none turns the reminders off, which
 * is said then, once.
 */
@Startup
@ApplicationScoped
public class OrderPages {

    private static final Logger LOG = Logger.getLogger(OrderPages.class);

    private final String shopUrl;

    OrderPages(ShopConfig config) {
        this.shopUrl = config.publicUrl().filter(url -> !url.isBlank()).map(OrderPages::checked).orElse(null);
        if (shopUrl == null) {
            LOG.warn("sales.shop.public-url (SHOP_PUBLIC_URL) is not set: checkouts have no order page to link to, and "
                    + "visitors who leave a checkout unpaid get no reminder");
        }
    }

    /** The cart's order page, or null when the shop's URL is not configured. */
    public String of(UUID cartId) {
        return shopUrl == null ? null : shopUrl + "/shop/#/order/" + cartId;
    }

    static String checked(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw invalid(url);
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalid(url);
        }
        return trimmed;
    }

    private static IllegalStateException invalid(String url) {
        return new IllegalStateException("sales.shop.public-url (SHOP_PUBLIC_URL) must be where visitors reach the shop, an "
                + "absolute http(s) URL without query or fragment such as https://shop.example.com, not '" + url + "'");
    }
}
