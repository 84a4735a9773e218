package io.dotmac.licensing.license.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "The licenses of a quote after a seat change: billing's sequence of the change among its subscription's "
        + "changes, whether this request applied it (changed; false when it, or a newer change of the quote, was applied "
        + "before: nothing changed), and all the quote's licenses with their current keys")
public record LicenseChange(String sourceId, String changeId, int sequence, boolean changed, List<LicenseView> licenses) {
}
