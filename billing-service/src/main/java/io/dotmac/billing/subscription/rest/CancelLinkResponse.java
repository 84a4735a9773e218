package io.dotmac.billing.subscription.rest;

import java.time.OffsetDateTime;

/** A link that lets the customer cancel their subscription at its period's end, honoured until {@code expiresAt}. */
public record CancelLinkResponse(String url, OffsetDateTime expiresAt) {
}
