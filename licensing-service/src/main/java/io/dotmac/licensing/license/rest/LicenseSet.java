package io.dotmac.licensing.license.rest;

import java.util.List;

public record LicenseSet(String customerId, String sourceId, List<LicenseView> licenses) {
}
