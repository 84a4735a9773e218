package io.dotmac.crm.quote.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A shop cart at checkout, as sales-service's {@code sales.cart.checked_out} event has it. Presence,
 * form and size are checked here (as for a new lead); the customer and products by qualification;
 * the prices and total only against crm's own quote of the cart.
 */
@Schema(description = "A shop cart at checkout: the customer, and the lines at the prices the visitor was shown (checked, never used)",
        example = """
        {"cart_id": "0b6c1f9e-8c1a-4f53-9d55-3c1f0c6e2a11", "customer_name": "Ada Lovelace", "customer_email": "ada@example.net",
         "company_name": "Analytical Networks", "organization_slug": "analytical-networks", "region": "eu-west",
         "billing_cycle": "monthly", "currency": "USD",
         "products": [{"product_code": "isp-core", "quantity": 2, "unit_price": 299.00},
                      {"product_code": "support-desk", "quantity": 3, "unit_price": 33.33}],
         "total_amount": 697.99}""")
public record QuoteFromCart(
        @NotNull UUID cartId,
        @NotBlank @Size(max = 200) String customerName,
        @NotBlank @Size(max = 254) String customerEmail,
        @NotBlank @Size(max = 200) String companyName,
        @NotBlank @Size(max = 100) @Schema(description = "The future tenant subdomain: ^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
        String organizationSlug,
        @NotBlank @Size(max = 50) String region,
        @NotNull @Pattern(regexp = "monthly|annual", message = "must be monthly or annual") String billingCycle,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a currency code such as USD") String currency,
        @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid CartLine> products,
        @NotNull @DecimalMin("0.00") @DecimalMax("99999999999999999.99") @Digits(integer = 17, fraction = 2) BigDecimal totalAmount) {

    /** A cart line: a whole number of units (a fraction is refused, not rounded) at the unit price shown. */
    public record CartLine(
            @NotBlank @Size(max = 100) String productCode,
            // @DecimalMin/Max as well: @Digits alone lets an exponent past int's range (1e2147483647) through.
            @NotNull @Digits(integer = 9, fraction = 0) @DecimalMin("1") @DecimalMax("999999999") BigDecimal quantity,
            @NotNull @DecimalMin("0.00") @DecimalMax("99999999999999999.99") @Digits(integer = 17, fraction = 2) BigDecimal unitPrice) {
    }
}
