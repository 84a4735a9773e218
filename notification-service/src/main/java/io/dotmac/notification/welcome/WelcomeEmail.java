package io.dotmac.notification.welcome;

import io.dotmac.notification.config.NotificationConfig;
import io.dotmac.notification.delivery.NotificationEmail;
import io.dotmac.notification.notification.Notification;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The welcome email of a new customer: its subject, and its HTML and plain-text bodies rendered
 * from the Qute templates under {@code templates/WelcomeEmail/} (checked against these parameters
 * at build time).
 */
@ApplicationScoped
public class WelcomeEmail implements NotificationEmail {

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

    @Override
    public String kind() {
        return Notification.WELCOME_EMAIL;
    }

    @Override
    public TemplateInstance html(Notification n) {
        return Templates.html(n.customerName, n.recipient, n.tenantUrl, host(n), docsUrl);
    }

    @Override
    public TemplateInstance text(Notification n) {
        return Templates.text(n.customerName, n.recipient, n.tenantUrl, host(n), docsUrl);
    }

    private static String host(Notification n) {
        return n.tenantUrl.substring(n.tenantUrl.indexOf("://") + 3);
    }
}
