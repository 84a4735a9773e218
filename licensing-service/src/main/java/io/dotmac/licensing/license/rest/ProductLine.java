package io.dotmac.licensing.license.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A line of the purchase; a quote's items carry more (product_name, unit_price, line_total), ignored here. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductLine(
        @NotBlank @Size(max = 100) String productCode,
        @NotNull @Min(1) @Max(100_000) Integer quantity) {
}
