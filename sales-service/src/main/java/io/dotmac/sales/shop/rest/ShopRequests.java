package io.dotmac.sales.shop.rest;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shop's request bodies. */
final class ShopRequests {

    private ShopRequests() {
    }

    @Schema(name = "NewCart", example = "{\"billing_cycle\": \"monthly\"}")
    record NewCart(@Size(max = 20) @Schema(description = "monthly (default) or annual") String billingCycle) {
    }

    /** A whole number (a fraction is refused, not rounded); its range is the shop's bound (sales.shop.max-quantity). */
    @Schema(name = "CartLineQuantity", example = "{\"quantity\": 3}")
    record LineQuantity(@NotNull @Digits(integer = 9, fraction = 0) BigDecimal quantity) {
    }

    @Schema(name = "CartBillingCycle", example = "{\"billing_cycle\": \"annual\"}")
    record BillingCycle(@NotNull @Size(max = 20) String billingCycle) {
    }
}
