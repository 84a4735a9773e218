package io.dotmac.licensing.license;

import java.util.List;

/** The licenses bought with one source, after revoking them: how many this request revoked, and all of them. */
public record RevokedLicenses(String sourceId, int revoked, List<License> licenses) {
}
