package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.CancelLinkConfig;
import io.dotmac.billing.subscription.CancelLinks;
import io.dotmac.billing.subscription.SubscriptionCancellation;
import io.dotmac.billing.subscription.SubscriptionService;
import io.dotmac.common.error.DomainException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The customer's own cancellation, through the signed link of an email ({@link CancelLinks}): a
 * page that shows the subscription and asks to confirm, and the form's POST, which cancels it at
 * its period's end as the API does. No account and no Bearer token: the link's token is the
 * credential, checked on both. A POST from another site's page is refused by its Origin.
 */
@Path(CancelLinks.PATH)
@PermitAll
@Tag(name = "Subscription cancellation page")
public class CancelPageResource {

    private final CancelLinks links;
    private final SubscriptionService subscriptions;
    private final SubscriptionCancellation cancellation;
    private final String publicOrigin;

    CancelPageResource(CancelLinks links, SubscriptionService subscriptions, SubscriptionCancellation cancellation,
                       CancelLinkConfig config) {
        this.links = links;
        this.subscriptions = subscriptions;
        this.cancellation = cancellation;
        this.publicOrigin = config.baseUrl().filter(url -> !url.isBlank()).map(url -> originOf(URI.create(url))).orElse(null);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The page a cancellation link opens (?token= from cancel-link; no Bearer token): 200 HTML with the "
            + "subscription's quote, its period's end and a form to confirm; or that it ends on that day (already set) or "
            + "has ended. 400 for no token or a malformed one, 403 for an altered or expired one, 404 if the subscription is "
            + "gone; always an HTML page. Changes nothing.")
    public Uni<Response> show(@QueryParam("token") String token) {
        return Uni.createFrom().item(() -> links.verify(token))
                .chain(link -> subscriptions.get(link.tenantId(), link.subscriptionId().toString()))
                .map(subscription -> CancelPages.shown(subscription, token))
                .onFailure(DomainException.class).recoverWithItem(e -> CancelPages.refused((DomainException) e));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The page's form (token=, no Bearer token): cancels the subscription at its period's end through "
            + "Stripe, as POST /api/v1/billing/subscriptions/{id}/cancel does; 200 HTML \"Your subscription ends on <day>\" "
            + "(also when it was set already, without calling Stripe). 400 for no token or a malformed one; 403 for an "
            + "altered or expired one, or a form sent from another site (Origin); 404 if the subscription is gone; 409 if "
            + "it has ended; 502 or 503 if Stripe refused or is unavailable, nothing changed; always an HTML page.")
    public Uni<Response> confirm(@FormParam("token") String token, @HeaderParam("Origin") String origin, @Context UriInfo uri) {
        // A browser names the page's origin; another site's page cannot post here. Without an Origin (no browser) the token alone counts.
        if (origin != null && !origin.equalsIgnoreCase(publicOrigin) && !origin.equalsIgnoreCase(originOf(uri.getBaseUri()))) {
            return Uni.createFrom().item(CancelPages.foreignOrigin(origin));
        }
        return Uni.createFrom().item(() -> links.verify(token))
                .chain(link -> cancellation.cancelAtPeriodEnd(link.tenantId(), link.subscriptionId().toString(), true,
                        "the customer's link", null))
                .map(CancelPages::cancelled)
                .onFailure(DomainException.class).recoverWithItem(e -> CancelPages.refused((DomainException) e));
    }

    /** scheme://host[:port], as a browser writes an Origin: the scheme's default port left out. */
    static String originOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = uri.getPort() == -1 || uri.getPort() == 80 && scheme.equals("http")
                || uri.getPort() == 443 && scheme.equals("https");
        return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
    }
}
