package io.dotmac.sales.shop.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dotmac.common.rest.Problem;
import io.dotmac.sales.shop.ShopConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * What keeps the shop's public API from being a tool against its visitors or the service:
 * <ul>
 * <li>a rate limit per client address (SmallRye Fault Tolerance's, one per address in a bounded
 * Caffeine map): past it, 429 with Retry-After. Behind a proxy the address is the client's only
 * where {@code quarkus.http.proxy.*} trusts the proxy's forwarding headers;</li>
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

    private final ShopConfig config;
    private final Cache<String, Guard> byClient;
    private final List<String> allowedOrigins;

    ShopRequestGuard(ShopConfig config) {
        this.config = config;
        ShopConfig.RateLimit limit = config.rateLimit();
        // An address unseen for two windows has no requests left to count.
        this.byClient = Caffeine.newBuilder().maximumSize(limit.maxClients())
                .expireAfterAccess(limit.window().multipliedBy(2)).build();
        this.allowedOrigins = config.allowedOrigins().orElse(List.of()).stream()
                .map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
    }

    @ServerRequestFilter
    public Response guard(SimpleResourceInfo resource, HttpServerRequest http, UriInfo uri) {
        if (resource.getResourceClass() != ShopResource.class) {
            return null;
        }
        String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        try {
            byClient.get(client, this::newLimit).get(() -> Boolean.TRUE, Boolean.class);
        } catch (RateLimitException e) {
            long seconds = Math.max(1, (e.getRetryAfterMillis() + 999) / 1000);
            LOG.debugf("shop: %s over its rate limit (%d requests per %s)", client, config.rateLimit().requests(),
                    config.rateLimit().window());
            return Response.fromResponse(Problem.response(429, "Too many requests from this address: at most "
                            + config.rateLimit().requests() + " per " + config.rateLimit().window().toSeconds()
                            + " s; try again in " + seconds + " s", uri))
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)).build();
        }
        if (!SAFE.contains(http.method().name()) && !sameOrigin(http)) {
            LOG.infof("shop: refused a %s %s from another site (Origin %s, Sec-Fetch-Site %s)", http.method().name(),
                    uri.getPath(), http.getHeader("Origin"), http.getHeader("Sec-Fetch-Site"));
            return Problem.response(403, "Changes to a cart are accepted only from the shop's own pages", uri);
        }
        return null;
    }

    private Guard newLimit(String client) {
        ShopConfig.RateLimit limit = config.rateLimit();
        // One description for all: SmallRye's metrics count the shop's permitted and refused requests together.
        return Guard.create().withDescription("shop-rate-limit")
                .withRateLimit().limit(limit.requests()).window(limit.window().toMillis(), ChronoUnit.MILLIS).done()
                .build();
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
        // Scheme aside (a proxy may end TLS before the service): the page's host and port are the request's.
        try {
            String authority = URI.create(normalized).getAuthority();
            String host = http.getHeader(HttpHeaders.HOST);
            return authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notAnOrigin) {
            return false;
        }
    }
}
