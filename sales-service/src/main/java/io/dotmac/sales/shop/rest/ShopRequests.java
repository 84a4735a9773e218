package io.dotmac.sales.shop.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shop's request bodies. */
final class ShopRequests {

    /** Names go into emails and headers downstream, which refuse control characters (a tab, a line break). */
    static final String NO_CONTROLS = "[^\\p{Cntrl}]*";
    static final String NO_CONTROLS_MESSAGE = "must not hold control characters (tabs, line breaks)";
    /**
     * crm's qualification rule (Qualification.EMAIL), checked here too: an address crm would refuse
     * must be the visitor's 400 now, not a failed checkout after they were told it was accepted.
     */
    static final String EMAIL =
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}";

    private ShopRequests() {
    }

    @Schema(name = "NewCart", example = "{\"billing_cycle\": \"monthly\"}")
    record NewCart(@Size(max = 20) @Schema(description = "monthly (default) or annual") String billingCycle) {
    }

    /** A whole number (a fraction is refused, not rounded); its range is the shop's bound (sales.shop.max-quantity). */
    @Schema(name = "CartLineQuantity", example = "{\"quantity\": 3}")
    // @DecimalMax as well: @Digits alone lets an exponent past int's range (1e2147483647) through.
    record LineQuantity(@NotNull @Digits(integer = 9, fraction = 0) @DecimalMin("0") @DecimalMax("999999999") BigDecimal quantity) {
    }

    @Schema(name = "CartBillingCycle", example = "{\"billing_cycle\": \"annual\"}")
    record BillingCycle(@NotNull @Size(max = 20) String billingCycle) {
    }

    @Schema(name = "CartCheckout", example = """
            {"customer_name": "Ada Lovelace", "customer_email": "ada@example.net", "company_name": "Analytical Networks",
             "organization_slug": "analytical-networks", "region": "eu-west", "total": 697.99}""")
    record Checkout(@NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String customerName,
                    @NotBlank @Size(max = 254) @Pattern(regexp = EMAIL, message = "must be an email address") String customerEmail,
                    @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String companyName,
                    @NotBlank @Size(max = 100) String organizationSlug,
                    @NotBlank @Size(max = 50) String region,
                    @NotNull @Digits(integer = 12, fraction = 2) @DecimalMin("0") @DecimalMax("999999999999.99")
                    @Schema(description = "The cart's total as the visitor saw it; another is a 409") BigDecimal total) {
    }

    /** What the engine records of a checkout: crm's quote and Stripe's page for it. */
    @Schema(name = "ShopCheckoutPayment")
    record Payment(@NotBlank @Size(max = 100) String quoteId, @Size(max = 2000) String checkoutUrl) {
    }

    @Schema(name = "ShopCheckoutUnpaid")
    record Unpaid(@NotBlank @Size(max = 100) String quoteId, @Size(max = 2000) String reason) {
    }

    @Schema(name = "ShopCheckoutFailure")
    record Failure(@Size(max = 2000) String reason) {
    }
}
