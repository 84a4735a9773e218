package io.dotmac.sales.shop.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dotmac.common.rest.Problem;
import io.dotmac.sales.shop.ShopConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * What keeps the shop's public API from being a tool against its visitors or the service:
 * <ul>
 * <li>rate limits per client (SmallRye Fault Tolerance's, one per client in a bounded Caffeine
 * map): every request, and far fewer checkouts, each of which makes a lead, a quote holding an
 * organization name and a payment page. Past either, 429 with Retry-After. A client is its IPv4
 * address, or its IPv6 /64 (what one subscriber is given). Behind a proxy the address is the
 * client's only where {@code quarkus.http.proxy.*} trusts the proxy's forwarding headers;</li>
 * <li>changes only from the shop's own pages: a browser names where a request comes from
 * ({@code Sec-Fetch-Site}, {@code Origin}), and one from another site is refused (403), on top of
 * the cookie's SameSite=Strict and JSON bodies (a cross-site form cannot send one without CORS,
 * which the service does not allow). A client that is not a browser sends neither header and has
 * no visitor's cookie to abuse.</li>
 * </ul>
 */
@ApplicationScoped
public class ShopRequestGuard {

    private static final Logger LOG = Logger.getLogger(ShopRequestGuard.class);
    private static final Set<String> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> SAME_ORIGIN = Set.of("same-origin", "none");
    private static final String CHECKOUT = "checkout";

    private final ShopConfig config;
    private final Cache<String, Guard> requests;
    private final Cache<String, Guard> checkouts;
    private final List<String> allowedOrigins;

    ShopRequestGuard(ShopConfig config) {
        this.config = config;
        this.requests = clients(config.rateLimit().window());
        this.checkouts = clients(config.checkoutRateLimit().window());
        this.allowedOrigins = config.allowedOrigins().orElse(List.of()).stream()
                .map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
    }

    // A client unseen for two windows has no requests left to count.
    private Cache<String, Guard> clients(Duration window) {
        return Caffeine.newBuilder().maximumSize(config.rateLimit().maxClients()).expireAfterAccess(window.multipliedBy(2)).build();
    }

    @ServerRequestFilter
    public Response guard(SimpleResourceInfo resource, HttpServerRequest http, UriInfo uri) {
        if (resource.getResourceClass() != ShopResource.class) {
            return null;
        }
        String client = client(http);
        boolean checkout = CHECKOUT.equals(resource.getMethodName()) && HttpMethod.POST.equals(http.method().name());
        try {
            requests.get(client, ignored -> limit(config.rateLimit().requests(), config.rateLimit().window())).get(() -> true, Boolean.class);
            if (checkout) {
                checkouts.get(client, ignored -> limit(config.checkoutRateLimit().requests(), config.checkoutRateLimit().window()))
                        .get(() -> true, Boolean.class);
            }
        } catch (RateLimitException e) {
            long seconds = Math.max(1, (e.getRetryAfterMillis() + 999) / 1000);
            int allowed = checkout ? config.checkoutRateLimit().requests() : config.rateLimit().requests();
            Duration window = checkout ? config.checkoutRateLimit().window() : config.rateLimit().window();
            LOG.debugf("shop: %s over its rate limit (%d %s per %s)", client, allowed, checkout ? "checkouts" : "requests", window);
            return Response.fromResponse(Problem.response(429, "Too many " + (checkout ? "checkouts" : "requests")
                            + " from this address: at most " + allowed + " per " + window.toSeconds() + " s; try again in "
                            + seconds + " s", uri))
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)).build();
        }
        if (!SAFE.contains(http.method().name()) && !sameOrigin(http)) {
            LOG.infof("shop: refused a %s %s from another site (Origin %s, Sec-Fetch-Site %s)", http.method().name(),
                    uri.getPath(), http.getHeader("Origin"), http.getHeader("Sec-Fetch-Site"));
            return Problem.response(403, "Changes to a cart are accepted only from the shop's own pages", uri);
        }
        return null;
    }

    // One description for all: SmallRye's metrics count the shop's permitted and refused requests together.
    private static Guard limit(int requests, Duration window) {
        return Guard.create().withDescription("shop-rate-limit")
                .withRateLimit().limit(requests).window(window.toMillis(), ChronoUnit.MILLIS).done().build();
    }

    /** The client's IPv4 address, or its IPv6 /64: one subscriber holds a whole /64. */
    static String client(HttpServerRequest http) {
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        if (address == null) {
            return "unknown";
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? "v6:" + InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(bytes, 8), 16)).getHostAddress()
                    : address;
        } catch (UnknownHostException notAnAddress) {
            return address;
        }
    }

    private boolean sameOrigin(HttpServerRequest http) {
        String site = http.getHeader("Sec-Fetch-Site");
        if (site != null && !SAME_ORIGIN.contains(site.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String origin = http.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String normalized = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        // Scheme aside (a proxy may end TLS before the service): the page's host and port are the
        // request's (its Host header, or HTTP/2's :authority).
        try {
            URI page = URI.create(normalized);
            HostAndPort authority = http.authority();
            if (page.getHost() == null || authority == null || !page.getHost().equals(authority.host().toLowerCase(Locale.ROOT))) {
                return false;
            }
            return page.getPort() == authority.port() || authority.port() < 0 && page.getPort() < 0;
        } catch (IllegalArgumentException notAnOrigin) {
            return false;
        }
    }
}
