package io.dotmac.billing.payment;

import static io.dotmac.billing.payment.PaymentStatus.FAILED;
import static io.dotmac.billing.payment.PaymentStatus.PENDING;
import static io.dotmac.billing.payment.PaymentStatus.REFUNDED;
import static io.dotmac.billing.payment.PaymentStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentStatusTest {

    @Test
    void stripesStatusesMapToOurs() {
        assertEquals(SUCCEEDED, PaymentStatus.fromStripe("succeeded", false));
        assertEquals(PENDING, PaymentStatus.fromStripe("processing", false));
        assertEquals(PENDING, PaymentStatus.fromStripe("requires_action", false));
        assertEquals(PENDING, PaymentStatus.fromStripe("requires_payment_method", false), "created, not confirmed");
        assertEquals(FAILED, PaymentStatus.fromStripe("requires_payment_method", true), "an attempt failed");
        assertEquals(FAILED, PaymentStatus.fromStripe("canceled", false));
    }

    @Test
    void onlyMovesStripeCanReportAreAllowed() {
        assertTrue(PENDING.canBecome(SUCCEEDED));
        assertTrue(PENDING.canBecome(FAILED));
        assertTrue(FAILED.canBecome(SUCCEEDED), "the customer retried and Stripe took it");
        assertTrue(SUCCEEDED.canBecome(REFUNDED));
        assertFalse(SUCCEEDED.canBecome(FAILED), "a late payment_failed does not undo a success");
        assertFalse(SUCCEEDED.canBecome(PENDING));
        assertFalse(REFUNDED.canBecome(SUCCEEDED));
        assertFalse(FAILED.canBecome(REFUNDED));
    }

    @Test
    void stripeKeysAreThePaymentsAndCarryTheCallersKey() {
        UUID id = UUID.randomUUID();
        assertEquals("payment-" + id, PaymentService.stripeKeyPrefix(null, id));
        assertEquals("exec-1:process_payment/payment-" + id, PaymentService.stripeKeyPrefix("exec-1:process_payment", id));
        String longKey = "k".repeat(255);
        assertTrue((PaymentService.stripeKeyPrefix(longKey, id) + ":payment_intent").length() <= 255);
    }
}
