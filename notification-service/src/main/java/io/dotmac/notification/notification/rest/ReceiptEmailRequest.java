package io.dotmac.notification.notification.rest;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * The body of POST /api/v1/notifications/receipt, as the workflow engine sends it when a
 * subscription's invoice was paid: only the invoice (billing-service's id, the {@code invoice_id}
 * of {@code billing.invoice.paid}). Whom to write to, how much and for which period come from billing-service.
 */
public record ReceiptEmailRequest(@NotNull UUID invoiceId) {
}
