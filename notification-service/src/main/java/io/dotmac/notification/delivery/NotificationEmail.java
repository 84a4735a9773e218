package io.dotmac.notification.delivery;

import io.dotmac.notification.notification.Notification;
import io.quarkus.qute.TemplateInstance;

/**
 * The email of one kind of notification: its HTML and plain-text bodies, from the record alone (a
 * retry renders the same message). One class a kind; {@link Emails} picks it by the record's kind.
 */
public interface NotificationEmail {

    /** The {@link Notification#kind} this email is for. */
    String kind();

    TemplateInstance html(Notification notification);

    TemplateInstance text(Notification notification);
}
