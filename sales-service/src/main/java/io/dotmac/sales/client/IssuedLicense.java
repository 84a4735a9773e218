package io.dotmac.sales.client;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A license as licensing-service lists it; only what {@link CustomerLicenses} reads of it. */
@RegisterForReflection
record IssuedLicense(String sourceId, String productCode, String status, String licenseKey) {

    static final String REVOKED = "revoked";
}
