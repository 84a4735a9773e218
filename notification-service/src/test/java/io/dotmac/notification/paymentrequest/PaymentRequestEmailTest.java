package io.dotmac.notification.paymentrequest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** How the email writes the amount and the deadline: the currency's own decimals, never rounded, in UTC. */
class PaymentRequestEmailTest {

    @Test
    void anAmountHasItsCurrencysDecimalsAndLosesNone() {
        assertEquals("USD 299.00", PaymentRequestEmail.money(new BigDecimal("299"), "usd"));
        assertEquals("EUR 1,234,567.80", PaymentRequestEmail.money(new BigDecimal("1234567.8"), "EUR"));
        assertEquals("JPY 12,000", PaymentRequestEmail.money(new BigDecimal("12000"), "JPY"));
        assertEquals("USD 10.125", PaymentRequestEmail.money(new BigDecimal("10.125"), "USD"));
        // A code the JDK does not know: two decimals.
        assertEquals("XTS 5.00", PaymentRequestEmail.money(new BigDecimal("5"), "XTS"));
    }

    @Test
    void theDeadlineIsWrittenInUtc() {
        assertEquals("1 January 2031, 03:30 UTC", PaymentRequestEmail.until(OffsetDateTime.parse("2030-12-31T22:30:00-05:00")));
    }
}
