package io.dotmac.billing.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.stripe.model.Invoice;
import com.stripe.model.Subscription;
import com.stripe.net.ApiResource;
import io.dotmac.billing.webhook.StripeEvents;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Stripe's invoices and subscriptions, read by stripe-java from JSON as Stripe sends it, in billing's terms. */
class StripeInvoiceTest {

    private static final long JAN_31 = epoch(2028, 1, 31);
    private static final long FEB_29 = epoch(2028, 2, 29);
    private static final long MAR_31 = epoch(2028, 3, 31);

    private static long epoch(int year, int month, int day) {
        return OffsetDateTime.of(year, month, day, 9, 30, 0, 0, ZoneOffset.UTC).toEpochSecond();
    }

    private static StripeInvoice read(String json) {
        return StripeInvoice.of(ApiResource.GSON.fromJson(json, Invoice.class), MAR_31);
    }

    @Test
    void aRenewalPaysForTheNextPeriodItsLinesNameNotTheInvoicesOwnPeriodJustEnded() {
        // Renewed on 29 February 2028 (leap year): Stripe's invoice.period is January 31 to February 29 (just
        // ended), the line's period February 29 to March 31 (the anchor day 31 comes back after February).
        StripeInvoice invoice = read(StripeEvents.invoice("in_renewal", "sub_abc", "paid", 119997, 119997, 1, "Q-1", "tenant-a",
                JAN_31, FEB_29, FEB_29, MAR_31, 0));

        assertEquals(OffsetDateTime.of(2028, 2, 29, 9, 30, 0, 0, ZoneOffset.UTC), invoice.periodStart());
        assertEquals(OffsetDateTime.of(2028, 3, 31, 9, 30, 0, 0, ZoneOffset.UTC), invoice.periodEnd());
        assertEquals("sub_abc", invoice.subscriptionId());
        assertEquals("tenant-a", invoice.tenantId());
        assertEquals("Q-1", invoice.quoteId());
        assertEquals(new BigDecimal("1199.97"), invoice.amountPaid());
        assertEquals("USD", invoice.currency());
        assertEquals("https://invoice.stripe.com/i/in_renewal", invoice.hostedInvoiceUrl());
    }

    @Test
    void aProrationPaysFromTheChangeToThePeriodsEndAcrossItsCreditAndChargeLines() {
        long change = epoch(2028, 3, 10);
        // A seat change on 10 March: a credit for the unused time and a charge for the rest, both to 31 March.
        StripeInvoice invoice = read(StripeEvents.invoice("in_proration", "sub_abc", "paid", 2258, 2258, 1, "Q-1", "tenant-a",
                change, change, change, MAR_31, 1, change, MAR_31, 1));

        assertEquals(change, invoice.periodStart().toEpochSecond());
        assertEquals(MAR_31, invoice.periodEnd().toEpochSecond());
        assertEquals(new BigDecimal("22.58"), invoice.amountDue());
    }

    @Test
    void aRenewalCarryingAnEarlierSeatChangesProrationsStillPaysForTheNextPeriod() {
        long change = epoch(2028, 2, 10);
        // Stripe's default: a change during February is billed with the next renewal, as prorations from the change.
        StripeInvoice invoice = read(StripeEvents.invoice("in_carried", "sub_abc", "paid", 121000, 121000, 1, "Q-1", "tenant-a",
                JAN_31, FEB_29, change, FEB_29, 1, change, FEB_29, 1, FEB_29, MAR_31, 0));

        assertEquals(FEB_29, invoice.periodStart().toEpochSecond());
        assertEquals(MAR_31, invoice.periodEnd().toEpochSecond());
        assertEquals(FEB_29, invoice.paidAt().toEpochSecond(), "status_transitions.paid_at");
    }

    @Test
    void anInvoiceWithoutDatedLinesFallsBackToItsOwnPeriod() {
        StripeInvoice invoice = read(StripeEvents.invoice("in_bare", "sub_abc", "open", 5000, 0, 0, "Q-1", "tenant-a",
                JAN_31, FEB_29));

        assertEquals(JAN_31, invoice.periodStart().toEpochSecond());
        assertEquals(FEB_29, invoice.periodEnd().toEpochSecond());
        assertEquals(new BigDecimal("0.00"), invoice.amountPaid());
    }

    @Test
    void centsBecomeTheMajorUnitExactly() {
        assertEquals(new BigDecimal("10.99"), StripeInvoice.major(1099L));
        assertEquals(new BigDecimal("0.00"), StripeInvoice.major(null));
    }

    @Test
    void aSubscriptionsPeriodIsItsItemsAndItsOwnersAreInItsMetadata() {
        StripeSubscription subscription = StripeSubscription.of(ApiResource.GSON.fromJson(
                StripeEvents.subscription("sub_abc", "active", true, "Q-1", "tenant-a", FEB_29, MAR_31), Subscription.class), MAR_31);

        assertEquals("active", subscription.status());
        assertEquals(true, subscription.cancelAtPeriodEnd());
        assertEquals(FEB_29, subscription.periodStart().toEpochSecond());
        assertEquals(MAR_31, subscription.periodEnd().toEpochSecond());
        assertEquals("tenant-a", subscription.tenantId());
        assertEquals("cus_abc", subscription.customerId());
        assertEquals(FEB_29 + 60, subscription.canceledAt().toEpochSecond(), "asked to end at the period's end");
        assertNull(subscription.endedAt());
    }
}
