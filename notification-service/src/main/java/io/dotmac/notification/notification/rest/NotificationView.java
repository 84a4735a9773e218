package io.dotmac.notification.notification.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A notification as the API shows it (snake_case JSON). The fields of the other kinds are null: a
 * welcome email has no quote, a payment request no tenant platform yet, and a journey-failed email
 * (kind {@code journey_failed}) shows its quote, amount and currency but has neither a platform nor
 * a page to pay on; its subject says what became of the payment. A receipt (kind {@code receipt})
 * shows its quote, the paid invoice (billing-service's id, and its page), amount, currency and period;
 * a dunning email (kind {@code payment_failed}) the same of its unpaid invoice, the amount being the
 * amount due, and its {@code dunning_stage}, which is null for every other kind. A shop checkout's
 * reminder (kind {@code shop_reminder}) shows what a payment request does, and the checkout's order
 * page ({@code order_url}).
 */
public record NotificationView(
        UUID id,
        String kind,
        String recipient,
        String customerName,
        String subject,
        String status,
        int attempts,
        String lastError,
        String messageId,
        String tenantSubdomain,
        String tenantUrl,
        String quoteId,
        String paymentUrl,
        BigDecimal amount,
        String currency,
        OffsetDateTime paymentExpiresAt,
        String invoiceId,
        String invoiceUrl,
        OffsetDateTime periodStart,
        OffsetDateTime periodEnd,
        String dunningStage,
        String orderUrl,
        OffsetDateTime nextAttemptAt,
        OffsetDateTime createdAt,
        OffsetDateTime sentAt) {
}
