package io.dotmac.licensing.license;

import java.util.List;

/**
 * The licenses bought with one source after a change made to all of them at once (revoked,
 * suspended, reinstated, expired): how many this request changed, and all of them.
 */
public record SourceLicenses(String sourceId, int changed, List<License> licenses) {
}
