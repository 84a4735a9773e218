package io.dotmac.notification.delivery;

import io.dotmac.notification.config.NotificationConfig;
import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.notification.NotificationService;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes one send attempt of a recorded notification: claims it (a short transaction), sends it
 * over SMTP with no transaction open, and records the outcome (another short transaction). The
 * claim is a lease only one sender can hold, so the API and the background retrier, on any
 * replica, never send one notification at the same time; once the server has accepted it, it is
 * marked sent and no claim takes it again.
 *
 * <p>What remains is the window between the server's acceptance and the commit of "sent": a crash
 * there leaves the notification queued, and it is sent again once the lease runs out, with the same
 * Message-ID (which lets mail systems drop the copy).
 */
@ApplicationScoped
@Startup
public class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final NotificationService notifications;
    private final Emails emails;
    private final ReactiveMailer mailer;
    private final Context mailContext;
    private final Duration mailerTimeout;
    private final Duration lease;
    private final Backoff backoff;

    NotificationSender(NotificationService notifications, Emails emails, ReactiveMailer mailer, Vertx vertx,
            NotificationConfig config, @ConfigProperty(name = "quarkus.mailer.timeout") Duration mailerTimeout) {
        // A lease that ran out while its attempt could still succeed would let a second sender in.
        if (config.delivery().lease().compareTo(mailerTimeout) <= 0) {
            throw new IllegalStateException("notification.delivery.lease (" + config.delivery().lease()
                    + ") must be longer than quarkus.mailer.timeout (" + mailerTimeout + ")");
        }
        this.notifications = notifications;
        this.emails = emails;
        this.mailer = mailer;
        // Built at startup on the main thread, so a context of its own on one event loop.
        this.mailContext = vertx.getOrCreateContext();
        this.mailerTimeout = mailerTimeout;
        this.lease = config.delivery().lease();
        this.backoff = Backoff.of(config.delivery());
    }

    /**
     * One attempt at the notification if it is due and nobody else holds it; otherwise nothing.
     * Completes when the outcome is recorded. The attempt runs to the end even if the caller stops
     * waiting (a client that hangs up must not keep a message the server accepted from being marked sent).
     */
    public Uni<Void> attempt(UUID id) {
        Uni<Void> attempt = Uni.createFrom().deferred(() -> notifications.claim(id, lease))
                .chain(claimed -> claimed == null ? Uni.createFrom().voidItem() : sendAndRecord(claimed));
        return Uni.createFrom().emitter(emitter -> attempt.subscribe().with(emitter::complete, emitter::fail));
    }

    private Uni<Void> sendAndRecord(Notification notification) {
        UUID id = notification.id;
        int attempt = notification.attempts;
        return send(notification)
                .onItemOrFailure().transformToUni((sent, failure) -> {
                    if (failure == null) {
                        LOG.infof("notification %s sent to the SMTP server (attempt %d, %s)", id, attempt, notification.messageId);
                        // A database hiccup must not leave an accepted message looking unsent.
                        return Uni.createFrom().deferred(() -> notifications.markSent(id))
                                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(10)
                                .replaceWithVoid();
                    }
                    String error = describe(failure);
                    Duration retryIn = backoff.after(attempt);
                    if (retryIn == null) {
                        LOG.errorf("notification %s failed for good after %d attempts: %s", id, attempt, error);
                    } else {
                        LOG.warnf("notification %s: attempt %d failed, next in %s: %s", id, attempt, retryIn, error);
                    }
                    return Uni.createFrom().deferred(() -> notifications.recordFailure(id, error, retryIn)).replaceWithVoid();
                });
    }

    // Every SMTP exchange runs on one event loop. The mail client's pool opens a connection on the
    // thread that frees a slot and hands it to whichever send waits, maybe on another event loop;
    // the server's greeting could arrive before that send listened and was lost, and the send
    // waited out the whole timeout (every other run of twenty sends at once against GreenMail).
    // The outcome comes back on the caller's context, where the session work continues. Rendering
    // the two small templates is cheap; a template that fails to render is a failed attempt.
    private Uni<Void> send(Notification notification) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            var mail = emails.mail(notification);
            return Uni.createFrom().<Void>emitter(emitter -> mailContext.runOnContext(ignored ->
                            mailer.send(mail).subscribe().with(emitter::complete, emitter::fail)))
                    .ifNoItem().after(mailerTimeout)
                    .failWith(() -> new TimeoutException("no reply from the SMTP server within " + mailerTimeout))
                    .emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
