package io.dotmac.notification.delivery;

import io.dotmac.notification.notification.Notification;
import io.quarkus.mailer.Mail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The message of a recorded notification, by its kind: the one place that knows every kind of
 * email. What all of them carry is set here: the recorded recipient, subject and Message-ID.
 */
@ApplicationScoped
public class Emails {

    private final Map<String, NotificationEmail> byKind;

    Emails(Instance<NotificationEmail> emails) {
        // Two emails claiming one kind fail the start.
        this.byKind = emails.stream().collect(Collectors.toUnmodifiableMap(NotificationEmail::kind, Function.identity()));
    }

    /** The message; a kind with no email (a row written by a newer version, say) fails the attempt. */
    public Mail mail(Notification notification) {
        NotificationEmail email = byKind.get(notification.kind);
        if (email == null) {
            throw new IllegalStateException("no email for notifications of kind '" + notification.kind + "'");
        }
        return Mail.withHtml(notification.recipient, notification.subject, email.html(notification).render())
                .setText(email.text(notification).render())
                .addHeader("Message-ID", notification.messageId);
    }
}
