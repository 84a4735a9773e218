package io.dotmac.licensing.license.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "The source's licenses after the call, all of them, with their holds; changed counts those this call "
        + "put the hold on, lifted it from, or expired (0 when there was nothing to do, or the source has none)")
public record SourceStatusChange(String sourceId, int changed, List<LicenseView> licenses) {
}
