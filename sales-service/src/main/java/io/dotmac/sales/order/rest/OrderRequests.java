package io.dotmac.sales.order.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the order API. */
public final class OrderRequests {

    private OrderRequests() {
    }

    /** {@code {"quote_id": ...}}: the crm-service quote to make an order from. */
    public record CreateOrderFromQuote(
            @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9_-]*$", message = "must be a quote id (letters, digits, - and _)")
            String quoteId) {
    }

    /** {@code {"auto_activate": true}} processes the order right after submitting it; false when absent. */
    public record SubmitOrder(Boolean autoActivate) {

        public boolean activate() {
            return Boolean.TRUE.equals(autoActivate);
        }
    }
}
