package io.dotmac.notification.notification.rest;

import io.dotmac.notification.paymentfailed.DunningStage;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * The body of POST /api/v1/notifications/payment-failed, as the workflow engine sends it while it
 * dunns an unpaid invoice of a subscription: the invoice (billing-service's id, the
 * {@code invoice_id} of {@code billing.invoice.payment_failed}) and how far dunning has come, the
 * one thing that is the caller's to say. Whom to write to, how much is due, for which period and
 * where to pay come from billing-service.
 */
public record PaymentFailedEmailRequest(@NotNull UUID invoiceId, @NotNull DunningStage stage) {
}
