package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.SubscriptionPeriodTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The part of a period's amount a change leaves, to the second, as Stripe prorates. */
class ProrationTest {

    // February 2027: 28 days from the anchor of 31 January.
    static final long START = at("2027-01-31T10:15:00Z").toEpochSecond();
    static final long END = at("2027-02-28T10:15:00Z").toEpochSecond();

    @Test
    void aChangeHalfwayThroughThePeriodLeavesHalfOfEachAmount() {
        long halfway = at("2027-02-14T10:15:00Z").toEpochSecond();
        assertEquals(6000, Proration.remaining(12000, halfway, START, END));
        assertEquals(9000, Proration.remaining(18000, halfway, START, END));
    }

    @Test
    void itCountsSecondsNotDaysAndRoundsEachAmountToTheNearestMinorUnit() {
        long oneSecondIn = START + 1;
        // 12000 × 2419199 / 2419200 = 11999.995…
        assertEquals(12000, Proration.remaining(12000, oneSecondIn, START, END));
        // 1000 × 2419199 / 2419200 = 999.9995…; 100 × 1 / 2419200 = 0.00004…
        assertEquals(1000, Proration.remaining(1000, oneSecondIn, START, END));
        assertEquals(0, Proration.remaining(100, END - 1, START, END));
        // A third of the period: 1000 / 3 = 333.33…, 2000 / 3 = 666.66…
        long twoThirdsIn = START + (END - START) * 2 / 3;
        assertEquals(333, Proration.remaining(1000, twoThirdsIn, START, END));
        assertEquals(667, Proration.remaining(2000, twoThirdsIn, START, END));
        assertEquals(1, Proration.remaining(1, START + (END - START) / 2, START, END), "a half rounds up");
    }

    @Test
    void aChangeAtThePeriodsStartLeavesAllAndAtItsEndNothing() {
        assertEquals(12000, Proration.remaining(12000, START, START, END));
        assertEquals(0, Proration.remaining(12000, END, START, END));
        assertEquals(12000, Proration.remaining(12000, START - 60, START, END), "before the period: all of it");
        assertEquals(0, Proration.remaining(12000, END + 60, START, END));
    }
}
