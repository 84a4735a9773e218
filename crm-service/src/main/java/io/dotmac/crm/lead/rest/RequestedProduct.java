package io.dotmac.crm.lead.rest;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** A whole number of units (a fraction is refused, not rounded); its range is a qualification rule. */
public record RequestedProduct(
        @NotBlank @Size(max = 100) String productCode,
        @NotNull @Digits(integer = 9, fraction = 0) BigDecimal quantity) {
}
