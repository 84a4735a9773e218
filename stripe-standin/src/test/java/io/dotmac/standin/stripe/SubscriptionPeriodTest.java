package io.dotmac.standin.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A subscription's periods counted from its anchor, as Stripe's billing cycle anchor keeps them. */
class SubscriptionPeriodTest {

    static OffsetDateTime at(String time) {
        return OffsetDateTime.parse(time).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static long start(String anchor, String interval, int n) {
        return Subscription.periodStart(at(anchor), interval, n);
    }

    @Test
    void aMonthlySubscriptionStartedOnTheThirtyFirstRenewsOnEachMonthsLastDayAndBackOnTheThirtyFirst() {
        String anchor = "2027-01-31T10:15:00Z";
        assertEquals(at(anchor).toEpochSecond(), start(anchor, "month", 0));
        assertEquals(at("2027-02-28T10:15:00Z").toEpochSecond(), start(anchor, "month", 1));
        assertEquals(at("2027-03-31T10:15:00Z").toEpochSecond(), start(anchor, "month", 2), "no drift to the 28th");
        assertEquals(at("2027-04-30T10:15:00Z").toEpochSecond(), start(anchor, "month", 3));
        assertEquals(at("2028-02-29T10:15:00Z").toEpochSecond(), start(anchor, "month", 13), "a leap year's February");
    }

    @Test
    void anAnnualSubscriptionStartedOnALeapDayRenewsOnTheTwentyEighthUntilTheNextLeapYear() {
        String anchor = "2028-02-29T00:00:00Z";
        assertEquals(at("2029-02-28T00:00:00Z").toEpochSecond(), start(anchor, "year", 1));
        assertEquals(at("2032-02-29T00:00:00Z").toEpochSecond(), start(anchor, "year", 4));
        assertEquals(at("2028-12-31T23:59:59Z").toEpochSecond(), start("2027-12-31T23:59:59Z", "year", 1));
    }
}
