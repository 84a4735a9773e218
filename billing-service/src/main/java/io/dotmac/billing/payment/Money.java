package io.dotmac.billing.payment;

import io.dotmac.common.error.DomainException.InvalidRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

/**
 * Amounts as the API takes them (a decimal in the major unit) and as Stripe takes them (a whole
 * number of minor units), converted exactly: an amount that does not fit is refused, never rounded.
 */
public final class Money {

    /** Far above what Stripe accepts in one payment, far below what a long of cents holds. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    private Money() {
    }

    /** The amount with two decimals; 400 naming {@code amount} if it has more (1.005) or is not positive. */
    public static BigDecimal amount(BigDecimal amount) {
        if (amount == null || amount.signum() <= 0) {
            throw new InvalidRequest("amount: must be greater than 0");
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidRequest("amount: must be at most " + MAX_AMOUNT.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new InvalidRequest("amount: must have at most 2 decimal places, was " + amount.toPlainString());
        }
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    /**
     * The ISO 4217 code in upper case; 400 naming {@code currency} if unknown or if its minor unit
     * is not a hundredth (JPY, KWD): Stripe counts those differently and this service does not
     * handle them.
     */
    public static String currency(String code) {
        String upper = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        Currency currency;
        try {
            currency = Currency.getInstance(upper);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("currency: '" + code + "' is not an ISO 4217 currency code");
        }
        if (currency.getDefaultFractionDigits() != 2) {
            throw new InvalidRequest("currency: " + upper + " is not supported (only currencies with cents)");
        }
        return upper;
    }

    /** 1200.50 -> 120050, exactly. */
    public static long minorUnits(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }
}
