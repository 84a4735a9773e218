package io.dotmac.licensing.license;

import java.util.List;

/** The set of licenses of a (customer, source), and whether this request created it or found it. */
public record IssuedLicenses(boolean created, String customerId, String sourceId, List<License> licenses) {
}
