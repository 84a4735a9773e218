package io.dotmac.notification.notification.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of POST /api/v1/notifications/welcome-email, as the workflow engine sends it. */
public record WelcomeEmailRequest(
        // A full address with a dotted domain, and nothing that could leak into a mail header.
        @NotBlank @Size(max = 254)
        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be an email address such as jane@example.com")
        String customerEmail,

        // The customer's organization slug: one DNS label under the tenant base domain.
        @NotBlank
        @Pattern(regexp = "^[a-z][a-z0-9-]{1,38}[a-z0-9]$",
                message = "must be 3 to 40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen")
        String tenantSubdomain,

        @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String customerName) {
}
