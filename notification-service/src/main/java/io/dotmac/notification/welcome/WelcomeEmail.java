package io.dotmac.notification.welcome;

import io.dotmac.notification.config.NotificationConfig;
import io.dotmac.notification.notification.Notification;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The welcome email of a new customer: its subject, and its HTML and plain-text bodies rendered
 * from the Qute templates under {@code templates/WelcomeEmail/} (checked against these parameters
 * at build time).
 */
@ApplicationScoped
public class WelcomeEmail {

    @CheckedTemplate
    static class Templates {
        /** {@code name} may be null: the greeting is then a neutral one. */
        static native TemplateInstance html(String name, String recipient, String tenantUrl, String tenantHost, String docsUrl);

        static native TemplateInstance text(String name, String recipient, String tenantUrl, String tenantHost, String docsUrl);
    }

    private final String docsUrl;

    WelcomeEmail(NotificationConfig config) {
        this.docsUrl = config.docsUrl();
    }

    public static String subject(String tenantHost) {
        return "Welcome to DotMac \u2014 your platform at " + tenantHost + " is ready";
    }

    /** The message for a recorded welcome notification, with the Message-ID the record holds. */
    public Mail mail(Notification notification) {
        String host = notification.tenantUrl.substring(notification.tenantUrl.indexOf("://") + 3);
        String name = notification.customerName;
        return Mail.withHtml(notification.recipient, notification.subject,
                        Templates.html(name, notification.recipient, notification.tenantUrl, host, docsUrl).render())
                .setText(Templates.text(name, notification.recipient, notification.tenantUrl, host, docsUrl).render())
                .addHeader("Message-ID", notification.messageId);
    }
}
