package io.dotmac.sales.shop.rest;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
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

    @Schema(name = "CartCheckout", example = """
            {"customer_name": "Ada Lovelace", "customer_email": "ada@example.net", "company_name": "Analytical Networks",
             "organization_slug": "analytical-networks", "region": "eu-west", "total": 697.99}""")
    record Checkout(@NotBlank @Size(max = 200) String customerName,
                    @NotBlank @Email @Size(max = 254) String customerEmail,
                    @NotBlank @Size(max = 200) String companyName,
                    @NotBlank @Size(max = 100) String organizationSlug,
                    @NotBlank @Size(max = 50) String region,
                    @NotNull @Schema(description = "The cart's total as the visitor saw it; another is a 409") BigDecimal total) {
    }

    /** What the engine records of a checkout: crm's quote and Stripe's page for it. */
    @Schema(name = "ShopCheckoutPayment")
    record Payment(@NotBlank @Size(max = 100) String quoteId, @Size(max = 2000) String checkoutUrl) {
    }

    @Schema(name = "ShopCheckoutFailure")
    record Failure(@Size(max = 2000) String reason) {
    }
}
