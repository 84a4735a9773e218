package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A license key to check", example = "{\"key\": \"eyJ2ZXIiOjEs….Zm9v…\"}")
public record VerifyRequest(@NotBlank @Size(max = 16_384) String key) {
}
