package io.dotmac.licensing.license.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The licenses of a source, issued or found; passed to Response.entity as an Object, so registered by hand for a native image. */
@RegisterForReflection(registerFullHierarchy = true)
public record LicenseSet(String customerId, String sourceId, List<LicenseView> licenses) {
}
