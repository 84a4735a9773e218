package io.dotmac.billing.subscription;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The links that let customers cancel their own subscription ({@code billing.links.*}, see
 * {@link CancelLinks}). The secret comes from the environment and is never committed; without it
 * the links are off (asking for one, or opening one, is 503), as Stripe's webhooks are without theirs.
 */
@ConfigMapping(prefix = "billing.links")
public interface CancelLinkConfig {

    /** The HMAC-SHA256 key of the links ({@code BILLING_LINK_SECRET}), 32 characters at least; absent: no links. */
    Optional<String> secret();

    /** Where customers reach this service's public pages ({@code BILLING_PUBLIC_URL}), e.g. https://billing.example.com; required with a secret. */
    Optional<String> baseUrl();

    /** How long a link is honoured ({@code BILLING_LINK_VALIDITY}). */
    @WithDefault("30d")
    Duration validity();
}
