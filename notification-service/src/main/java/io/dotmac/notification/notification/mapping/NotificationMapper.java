package io.dotmac.notification.notification.mapping;

import io.dotmac.notification.notification.Notification;
import io.dotmac.notification.notification.rest.NotificationView;

/** Notifications into their API form. */
public final class NotificationMapper {

    private NotificationMapper() {
    }

    public static NotificationView toView(Notification n) {
        return new NotificationView(n.id, n.kind, n.recipient, n.customerName, n.subject, n.status.value(), n.attempts,
                n.lastError, n.messageId, n.tenantSubdomain, n.tenantUrl, n.quoteId, n.paymentUrl, n.amount, n.currency,
                n.paymentExpiresAt, n.invoiceId, n.invoiceUrl, n.periodStart, n.periodEnd, n.dunningStage, n.orderUrl,
                n.nextAttemptAt,
                n.createdAt, n.sentAt);
    }
}
