package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.CancelLinks;
import io.dotmac.billing.subscription.Subscription;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unavailable;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The pages of a customer's own cancellation ({@link CancelPageResource}), rendered from the Qute
 * templates under {@code templates/CancelPages/} (which escape what they show), each with headers
 * that keep it to itself: no script, no framing, no referrer beyond this origin (the address holds
 * the token), never cached; its only style is platform-common's {@code /_pages/common.css}.
 */
final class CancelPages {

    private static final Logger LOG = Logger.getLogger(CancelPages.class);
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    // One wording for every reader, whatever their locale: "4 March 2031", in UTC, as the emails write days.
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    @CheckedTemplate
    static class Templates {
        /** The subscription and the form that cancels it, which posts the token back. */
        static native TemplateInstance confirm(String quoteId, String periodEnd, String token);

        /** It is set to end with its period. */
        static native TemplateInstance ends(String quoteId, String periodEnd);

        /** It has ended; {@code quoteId} null when not known. */
        static native TemplateInstance ended(String quoteId);

        static native TemplateInstance refused(String heading, String message);
    }

    private CancelPages() {
    }

    /** What the link shows of the subscription now: the form, or that it ends or has ended. */
    static Response shown(Subscription subscription, String token) {
        if (subscription.ended()) {
            return page(200, Templates.ended(subscription.quoteId));
        }
        if (subscription.cancelAtPeriodEnd) {
            return cancelled(subscription);
        }
        return page(200, Templates.confirm(subscription.quoteId, day(subscription.currentPeriodEnd), token));
    }

    static Response cancelled(Subscription subscription) {
        return page(200, Templates.ends(subscription.quoteId, day(subscription.currentPeriodEnd)));
    }

    /**
     * A refusal as a page, never as JSON: the link's (400, 403), the subscription's (404, 409),
     * Stripe's (502, 503); logged as the problems of the API are, 4xx at WARN, 5xx at ERROR.
     */
    static Response refused(DomainException e) {
        int status = e instanceof InvalidRequest ? 400 : e instanceof Forbidden ? 403 : e instanceof NotFound ? 404
                : e instanceof Conflict ? 409 : e instanceof Unavailable ? 503 : 502;
        if (status >= 500) {
            LOG.errorf(e, "%s %s", status, CancelLinks.PATH);
        } else {
            LOG.warnf("%s %s: %s", status, CancelLinks.PATH, e.getMessage());
        }
        TemplateInstance template = switch (status) {
            case 400, 403 -> Templates.refused("This link cannot be used", e.getMessage());
            case 404 -> Templates.refused("Subscription not found", "We have no subscription for this link.");
            case 409 -> Templates.ended(null);
            default -> Templates.refused("Please try again later",
                    "Your subscription could not be cancelled just now, and nothing has changed. Please try again in a few minutes.");
        };
        return page(status, template);
    }

    /** A form posted from another site's page. */
    static Response foreignOrigin(String origin) {
        return refused(new Forbidden("This form was sent from another site (" + origin + "). Open the link from your email again."));
    }

    private static Response page(int status, TemplateInstance template) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                // Not no-referrer: a browser would then send the form's POST with "Origin: null", as another site's may.
                .header("Referrer-Policy", "same-origin")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static String day(OffsetDateTime time) {
        return time == null ? "the end of its current period" : DAY.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
