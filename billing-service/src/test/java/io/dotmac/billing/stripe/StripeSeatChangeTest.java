package io.dotmac.billing.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.model.Invoice;
import com.stripe.model.Subscription;
import com.stripe.net.ApiResource;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A seat change's figures as Stripe returns them: the subscription after the update (with a
 * pending_update when the card declined) and the proration's invoice, read by stripe-java from
 * Stripe's JSON. The amounts are Stripe's per-second proration of a change from 49.00 to 98.00 a
 * month on 10 March 2028, 21 of the period's 31 days left: 4900 × 21/31 = 3319 credited, 9800 ×
 * 21/31 = 6639 charged, 33.20 invoiced.
 */
class StripeSeatChangeTest {

    private static final long FEB_29 = epoch(2028, 2, 29);
    private static final long MAR_10 = epoch(2028, 3, 10);
    private static final long MAR_31 = epoch(2028, 3, 31);

    private static long epoch(int year, int month, int day) {
        return OffsetDateTime.of(year, month, day, 9, 30, 0, 0, ZoneOffset.UTC).toEpochSecond();
    }

    private static Subscription subscription(long unitAmount, String pendingUpdate) {
        return ApiResource.GSON.fromJson("""
                {"id": "sub_abc", "object": "subscription", "customer": "cus_abc", "status": "active",
                 "cancel_at_period_end": false, "latest_invoice": "in_change", "metadata": {"tenant_id": "t", "quote_id": "Q-1"},
                 "pending_update": %s,
                 "items": {"object": "list", "data": [{"id": "si_abc", "object": "subscription_item", "quantity": 1,
                   "current_period_start": %d, "current_period_end": %d,
                   "price": {"id": "price_x", "object": "price", "currency": "usd", "product": "prod_abc", "unit_amount": %d,
                             "recurring": {"interval": "month", "interval_count": 1}}}]}}"""
                .formatted(pendingUpdate, FEB_29, MAR_31, unitAmount), Subscription.class);
    }

    private static Invoice proration(String status, long... lineAmounts) {
        StringBuilder lines = new StringBuilder();
        long total = 0;
        for (int i = 0; i < lineAmounts.length; i++) {
            total += lineAmounts[i];
            lines.append(i == 0 ? "" : ",").append("""
                    {"id": "il_%d", "object": "line_item", "amount": %d, "currency": "usd",
                     "description": "%s", "period": {"start": %d, "end": %d},
                     "parent": {"type": "subscription_item_details",
                                "subscription_item_details": {"proration": true, "subscription": "sub_abc", "subscription_item": "si_abc"}}}"""
                    .formatted(i, lineAmounts[i], lineAmounts[i] < 0 ? "Unused time on 1 × Quote Q-1" : "Remaining time on 1 × Quote Q-1",
                            MAR_10, MAR_31));
        }
        long due = Math.max(0, total);
        return ApiResource.GSON.fromJson("""
                {"id": "in_change", "object": "invoice", "billing_reason": "subscription_update", "currency": "usd",
                 "status": "%s", "subtotal": %d, "total": %d, "amount_due": %d, "amount_paid": %d,
                 "lines": {"object": "list", "data": [%s]}}"""
                .formatted(status, total, total, due, "paid".equals(status) ? due : 0, lines), Invoice.class);
    }

    @Test
    void moreSeatsAreTheChargeForTheRestOfThePeriodLessTheCreditForItsUnusedPart() {
        StripeSeatChange change = StripeSeatChange.of(subscription(9800, "null"), proration("paid", -3319, 6639));

        assertTrue(change.applied());
        assertEquals("in_change", change.invoiceId());
        assertEquals("paid", change.invoiceStatus());
        assertEquals(new BigDecimal("33.19"), change.credited());
        assertEquals(new BigDecimal("66.39"), change.charged());
        assertEquals(new BigDecimal("33.20"), change.prorated());
        assertEquals(change.charged().subtract(change.credited()), change.prorated());
    }

    @Test
    void fewerSeatsAreACreditTheInvoiceTotalsNegative() {
        // Back from 98.00 to 49.00: the unused part at 98.00 credited, the rest at 49.00 charged; nothing is due now.
        StripeSeatChange change = StripeSeatChange.of(subscription(4900, "null"), proration("paid", -6639, 3319));

        assertTrue(change.applied());
        assertEquals(new BigDecimal("-33.20"), change.prorated());
        assertEquals(new BigDecimal("66.39"), change.credited());
        assertEquals(new BigDecimal("33.19"), change.charged());
    }

    @Test
    void aDeclinedCardLeavesTheChangePendingOnItsOpenInvoice() {
        String pending = """
                {"expires_at": %d, "subscription_items": [{"id": "si_abc", "object": "subscription_item", "quantity": 1,
                  "price": {"id": "price_y", "object": "price", "currency": "usd", "product": "prod_abc", "unit_amount": 9800}}]}"""
                .formatted(MAR_10 + 23 * 3600);
        StripeSeatChange change = StripeSeatChange.of(subscription(4900, pending), proration("open", -3319, 6639));

        assertFalse(change.applied());
        assertEquals("open", change.invoiceStatus());
        assertEquals(new BigDecimal("33.20"), change.prorated());
    }

    @Test
    void nothingToProrateIsNoInvoice() {
        StripeSeatChange change = StripeSeatChange.of(subscription(4900, "null"), null);

        assertTrue(change.applied());
        assertNull(change.invoiceId());
        assertEquals(new BigDecimal("0.00"), change.prorated());
    }
}
