package io.dotmac.crm.quote;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;

/** One priced line of a quote: line_total = unit_price × quantity, exactly, two decimals. */
@RegisterForReflection
public record QuoteItem(
        @JsonProperty("product_code") String productCode,
        @JsonProperty("product_name") String productName,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("unit_price") BigDecimal unitPrice,
        @JsonProperty("line_total") BigDecimal lineTotal) {
}
