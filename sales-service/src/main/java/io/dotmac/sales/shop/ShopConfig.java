package io.dotmac.sales.shop;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The shop's settings ({@code sales.shop.*}): whose shop it is and the bounds on what a visitor may do. */
@ConfigMapping(prefix = "sales.shop")
public interface ShopConfig {

    /** The vendor tenant the shop sells for (SHOP_TENANT): its carts, and later its leads and quotes. */
    String tenant();

    /** A cart not changed for this long is expired: a 404, then deleted by housekeeping. */
    @WithDefault("P7D")
    Duration cartIdleTimeout();

    /** The most units of one product in a cart. */
    @WithDefault("500")
    int maxQuantity();

    /** The most lines (products) in a cart. */
    @WithDefault("20")
    int maxLines();

    /** Whether the cart's cookie is sent over HTTPS only (off only where the shop is served over plain HTTP, locally). */
    @WithDefault("true")
    boolean cookieSecure();

    /**
     * Origins besides the request's own whose pages may change carts (the shop served from another
     * host than the API); none by default.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Where visitors reach the shop (SHOP_PUBLIC_URL, say https://shop.example.com): a checkout's order
     * page is {@code <url>/shop/#/order/<cart id>}, which the unpaid checkout's reminder links to.
     * Unset, a checkout has no such link and no reminder goes out ({@link OrderPages}).
     */
    Optional<String> publicUrl();

    /** The deployment regions a visitor may choose (as crm-service offers them: crm.regions). */
    List<String> regions();

    RateLimit rateLimit();

    CheckoutLimit checkoutRateLimit();

    /**
     * Checkouts from one client address: each makes a lead, an accepted quote holding an
     * organization name and a payment page, so far fewer than other requests.
     */
    interface CheckoutLimit {

        @WithDefault("10")
        int requests();

        @WithDefault("PT1H")
        Duration window();
    }

    /** Requests to /api/v1/shop from one client address: at most {@code requests} per {@code window}. */
    interface RateLimit {

        @WithDefault("120")
        int requests();

        @WithDefault("PT1M")
        Duration window();

        /** How many client addresses are tracked at once (the least recently seen are forgotten first). */
        @WithDefault("100000")
        int maxClients();
    }
}
