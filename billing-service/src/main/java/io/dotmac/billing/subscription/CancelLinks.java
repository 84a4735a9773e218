package io.dotmac.billing.subscription;

import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.Unavailable;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The signed links that let a customer cancel their own subscription without an account (the
 * receipt email carries one): {@code <public base URL>/billing/cancel?token=...}. The token names
 * the tenant, the subscription and an expiry, with their HMAC-SHA256 under
 * {@code billing.links.secret}: whoever holds it may cancel that subscription until then, and
 * nothing else. It is signed, not encrypted: the ids in it are no secret, the key is.
 */
@ApplicationScoped
@Startup // a short secret stops the service at start, not at the first link
public class CancelLinks {

    /** The public page a link opens, under the public base URL. */
    public static final String PATH = "/billing/cancel";
    /** Far more than a token of ours takes (about 130 characters and the tenant id's); a longer one is not read. */
    static final int MAX_TOKEN_LENGTH = 1024;
    static final int SHORTEST_SECRET = 32;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** What a valid token allows: cancelling this subscription of this tenant. */
    public record Link(String tenantId, UUID subscriptionId) {
    }

    /** A link handed out, and when it stops being honoured. */
    public record Issued(String url, OffsetDateTime expiresAt) {
    }

    private static final Logger LOG = Logger.getLogger(CancelLinks.class);

    /** Absent without {@code BILLING_LINK_SECRET}: the links are off. */
    private final Optional<SecretKeySpec> key;
    private final String pageUrl;
    private final Duration validity;

    CancelLinks(CancelLinkConfig config) {
        if (config.validity().isNegative() || config.validity().isZero()) {
            throw new IllegalStateException("billing.links.validity (BILLING_LINK_VALIDITY) is " + config.validity()
                    + "; a link must be honoured for some time");
        }
        this.key = config.secret().filter(secret -> !secret.isBlank()).map(secret -> {
            refuseWeakSecret(secret);
            return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        });
        if (key.isEmpty()) {
            LOG.warn("Customers' cancellation links are off: set BILLING_LINK_SECRET (receipts then carry none)");
        }
        this.pageUrl = config.baseUrl().filter(url -> !url.isBlank()).map(url -> url.replaceAll("/+$", "") + PATH)
                .orElseGet(() -> {
                    if (key.isPresent()) {
                        throw new IllegalStateException("billing.links.base-url (BILLING_PUBLIC_URL) must say where customers reach "
                                + "billing's pages, e.g. https://billing.example.com: BILLING_LINK_SECRET is set, and receipts would "
                                + "carry links to nowhere");
                    }
                    return null;
                });
        this.validity = config.validity();
    }

    /** A secret anyone could guess or search for would let anyone cancel any subscription. */
    static void refuseWeakSecret(String secret) {
        if (secret == null || secret.strip().length() < SHORTEST_SECRET) {
            throw new IllegalStateException("billing.links.secret (BILLING_LINK_SECRET) must be " + SHORTEST_SECRET
                    + " characters at least (openssl rand -base64 48 makes one): it signs the links that cancel subscriptions");
        }
    }

    /** A link to cancel the tenant's subscription, honoured for the configured validity from now. */
    public Issued issue(String tenantId, UUID subscriptionId) {
        OffsetDateTime expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plus(validity).truncatedTo(ChronoUnit.SECONDS);
        return new Issued(pageUrl + "?token=" + sign(tenantId, subscriptionId, expiresAt.toInstant()), expiresAt);
    }

    /**
     * The token: {@code <subscription id>:<expiry in Unix seconds>:<tenant id>} (the tenant last:
     * any character may be in it) and its HMAC, each base64url without padding, joined by a dot.
     */
    String sign(String tenantId, UUID subscriptionId, Instant expiresAt) {
        String payload = BASE64URL.encodeToString((subscriptionId + ":" + expiresAt.getEpochSecond() + ":" + tenantId)
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + mac(payload);
    }

    /**
     * What the token allows: 400 ({@link InvalidRequest}) if it is no token of this kind, 403
     * ({@link Forbidden}) if it was not signed here or has expired.
     */
    public Link verify(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidRequest("This is not a link to cancel a subscription.");
        }
        int dot = token.indexOf('.');
        String payload = dot < 0 ? token : token.substring(0, dot);
        byte[] given = (dot < 0 ? "" : token.substring(dot + 1)).getBytes(StandardCharsets.UTF_8);
        // In constant time: how much of a forged signature matches must not show. Compared as written, so
        // that no two spellings of one signature pass.
        if (!MessageDigest.isEqual(mac(payload).getBytes(StandardCharsets.UTF_8), given)) {
            throw new Forbidden("This link is not valid: it was changed or not made by us.");
        }
        // Signed here, so in the form sign() writes.
        String[] parts = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split(":", 3);
        if (Instant.ofEpochSecond(Long.parseLong(parts[1])).isBefore(Instant.now())) {
            throw new Forbidden("This link has expired. Ask us for a new one.");
        }
        return new Link(parts[2], UUID.fromString(parts[0]));
    }

    private String mac(String payload) {
        SecretKeySpec secret = key.orElseThrow(() -> new Unavailable(
                "Customers' cancellation links are not configured on this billing-service (set BILLING_LINK_SECRET)"));
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return BASE64URL.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
