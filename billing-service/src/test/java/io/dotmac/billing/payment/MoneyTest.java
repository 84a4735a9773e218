package io.dotmac.billing.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.error.DomainException.InvalidRequest;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void amountsBecomeCentsExactly() {
        // As doubles these are 109998.99999999999 and 28.999999999999996 cents.
        assertEquals(109999L, Money.minorUnits(Money.amount(new BigDecimal("1099.99"))));
        assertEquals(29L, Money.minorUnits(Money.amount(new BigDecimal("0.29"))));
        assertEquals(120000L, Money.minorUnits(Money.amount(new BigDecimal("1200"))));
        assertEquals(new BigDecimal("12.30"), Money.amount(new BigDecimal("12.300")));
        assertEquals(new BigDecimal("100.00"), Money.amount(new BigDecimal("1E+2")));
    }

    @Test
    void amountsThatAreNotWholeCentsOrNotPositiveAreRefusedNamingAmount() {
        for (String bad : new String[] {"12.345", "0", "-1.00", "0.001", "1000000000000.00"}) {
            InvalidRequest e = assertThrows(InvalidRequest.class, () -> Money.amount(new BigDecimal(bad)), bad);
            assertTrue(e.getMessage().startsWith("amount:"), e.getMessage());
        }
        assertThrows(InvalidRequest.class, () -> Money.amount(null));
    }

    @Test
    void currenciesAreIsoCodesWithCents() {
        assertEquals("USD", Money.currency("usd"));
        assertEquals("EUR", Money.currency(" EUR "));
        for (String bad : new String[] {"ZZZ", "JPY", "KWD", "XXX", "", "dollars"}) {
            InvalidRequest e = assertThrows(InvalidRequest.class, () -> Money.currency(bad), bad);
            assertTrue(e.getMessage().startsWith("currency:"), e.getMessage());
        }
    }
}
