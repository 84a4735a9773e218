package io.dotmac.crm.quote;

import java.math.BigDecimal;
import java.util.List;

/** What pricing makes of a lead's products: the lines, their exact total, and the one currency and cycle they share. */
public record PricedQuote(List<QuoteItem> items, BigDecimal total, String currency, String billingCycle) {
}
