package io.dotmac.notification.journeyfailed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What the email says about the money: the subject by the payment's status, and the reason of a failed one. */
class JourneyFailedEmailTest {

    @Test
    void theSubjectSaysWhatBecameOfThePayment() {
        assertEquals("We could not set up your DotMac platform \u2014 your payment has been refunded",
                JourneyFailedEmail.subject("refunded"));
        assertEquals("We could not set up your DotMac platform \u2014 we did not receive your payment",
                JourneyFailedEmail.subject("failed"));
    }

    @Test
    void theReasonIsBillingsWithoutSayingNotReceivedTwice() {
        assertEquals("the checkout session expired unpaid",
                JourneyFailedEmail.reason("payment not received: the checkout session expired unpaid"));
        assertEquals("the card was declined", JourneyFailedEmail.reason("  Payment not received:  the card was declined "));
        assertEquals("Your card was declined.", JourneyFailedEmail.reason("Your card was declined."));
        assertNull(JourneyFailedEmail.reason(null));
        assertNull(JourneyFailedEmail.reason("   "));
        assertNull(JourneyFailedEmail.reason("payment not received:"));
    }
}
