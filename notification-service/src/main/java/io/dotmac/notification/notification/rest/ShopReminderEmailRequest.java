package io.dotmac.notification.notification.rest;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * The body of POST /api/v1/notifications/shop-reminder, as the workflow engine sends it: only the
 * checked-out cart. Whom to remind, of what and where to pay come from sales-service's checkout and
 * billing-service's payment of its quote.
 */
public record ShopReminderEmailRequest(@NotNull UUID cartId) {
}
