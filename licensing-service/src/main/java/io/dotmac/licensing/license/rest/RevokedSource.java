package io.dotmac.licensing.license.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "The source's licenses after the call, all of them; revoked counts those this call revoked "
        + "(0 when they were revoked already, or the source has none)")
public record RevokedSource(String sourceId, int revoked, List<LicenseView> licenses) {
}
