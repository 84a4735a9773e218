package io.dotmac.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The service's own settings: what goes into the emails, and how their delivery is retried. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    /** Domain part of the Message-ID every email carries: {@code <notification id@domain>}. */
    @WithDefault("dotmac.local")
    String messageIdDomain();

    /** The documentation the welcome email links to. */
    @WithDefault("https://docs.dotmac.local")
    String docsUrl();

    Delivery delivery();

    interface Delivery {

        /** Attempts in all (the first one included) before a notification is failed. */
        @WithDefault("8")
        @Min(1)
        int maxAttempts();

        /** Wait after the first failed attempt; each later one waits {@link #multiplier()} times longer. */
        @WithDefault("30s")
        Duration initialBackoff();

        @WithDefault("2")
        @DecimalMin("1")
        double multiplier();

        @WithDefault("30m")
        Duration maxBackoff();

        /**
         * How long one send attempt owns a notification. Longer than the mailer's own timeout
         * (quarkus.mailer.timeout), so that no other sender takes it over while the attempt may
         * still succeed.
         */
        @WithDefault("2m")
        Duration lease();

        /**
         * How often the background sender looks for due notifications; read by its
         * {@code @Scheduled}, so written as a {@code java.time.Duration} (PT10S).
         */
        @WithDefault("PT10S")
        Duration pollInterval();

        /**
         * How long the background sender leaves a notification nobody has attempted yet to the
         * request that queued it, which attempts it at once; after that (the request's service
         * stopped in between, say) the background sender makes the first attempt.
         */
        @WithDefault("30s")
        Duration firstAttemptGrace();

        /** Due notifications one background round sends at most. */
        @WithDefault("20")
        @Min(1)
        int batchSize();
    }
}
