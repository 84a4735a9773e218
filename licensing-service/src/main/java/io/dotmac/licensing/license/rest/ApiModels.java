package io.dotmac.licensing.license.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The license API's request and response bodies (snake_case on the wire). */
public final class ApiModels {

    private ApiModels() {
    }

    @Schema(description = "License what a customer bought with one quote: the customer, products and quantities must be "
            + "the quote's", example = """
            {"customer_id": "acme-isp", "source_id": "8d3c1f6e-…", "billing_cycle": "annual",
             "products": [{"product_code": "isp-core", "quantity": 1}, {"product_code": "support-desk", "quantity": 5}]}""")
    public record IssueRequest(
            @Schema(description = "The customer's organization: the quote's organization_slug")
            @NotBlank @Size(max = 100) String customerId,
            @Schema(description = "The quote the products come from (its id in crm-service); the same quote returns the "
                    + "same licenses")
            @NotBlank @Size(max = 100) String sourceId,
            @Schema(description = "monthly or annual: how long the licenses run; if given, the quote's billing cycle, "
                    + "which is used when not given")
            @Pattern(regexp = "monthly|annual", message = "must be monthly or annual") String billingCycle,
            @Schema(description = "The quote's items (lines of one product add up)")
            @NotEmpty @Size(max = 50) List<@Valid @NotNull ProductLine> products) {
    }

    /** A line of the purchase; a quote's items carry more (product_name, unit_price, line_total), ignored here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProductLine(
            @NotBlank @Size(max = 100) String productCode,
            @NotNull @Min(1) @Max(100_000) Integer quantity) {
    }

    public record LicenseSet(String customerId, String sourceId, List<LicenseView> licenses) {
    }

    public record LicenseView(UUID id, String customerId, String sourceId, String productCode, int seats,
                              List<String> features, String status, String billingCycle, Instant issuedAt,
                              Instant expiresAt, String keyId, String licenseKey) {
    }

    @Schema(description = "Revoke every license bought with one quote, for good", example = """
            {"source_id": "8d3c1f6e-…", "reason": "order could not be activated"}""")
    public record RevokeSourceRequest(
            @Schema(description = "The quote the licenses were bought with (their source_id; any case)")
            @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
            String sourceId,
            @Schema(description = "Why, for the service's log (optional)")
            @Size(max = 500) String reason) {
    }

    @Schema(description = "The source's licenses after the call, all of them; revoked counts those this call revoked "
            + "(0 when they were revoked already, or the source has none)")
    public record RevokedSource(String sourceId, int revoked, List<LicenseView> licenses) {
    }

    @Schema(description = "A license key to check", example = "{\"key\": \"eyJ2ZXIiOjEs….Zm9v…\"}")
    public record VerifyRequest(@NotBlank @Size(max = 16_384) String key) {
    }

    @Schema(description = "valid, or why not: malformed, bad_signature, unknown, expired, revoked, suspended; the "
            + "license's fields are null when the key is malformed or badly signed, the key's own when unknown (not "
            + "stored here), the stored license's otherwise")
    public record VerifyResponse(boolean valid, String reason, UUID licenseId,
                                 @Schema(description = "The tenant that issued the license, customer_id being one of its "
                                         + "customers; null only for an unknown key issued before keys named their tenant")
                                 String tenantId, String productCode, String customerId, Instant expiresAt) {
    }

    public record PublicKey(String algorithm, String keyId, String publicKeyPem) {
    }
}
