package io.dotmac.licensing.license.mapping;

import io.dotmac.licensing.license.BillingCycle;
import io.dotmac.licensing.license.ChangedLicenses;
import io.dotmac.licensing.license.IssueLicenses;
import io.dotmac.licensing.license.IssuedLicenses;
import io.dotmac.licensing.license.License;
import io.dotmac.licensing.license.RenewedLicenses;
import io.dotmac.licensing.license.SourceLicenses;
import io.dotmac.licensing.license.Verification;
import io.dotmac.licensing.license.rest.IssueRequest;
import io.dotmac.licensing.license.rest.LicenseChange;
import io.dotmac.licensing.license.rest.LicenseRenewal;
import io.dotmac.licensing.license.rest.LicenseSet;
import io.dotmac.licensing.license.rest.LicenseView;
import io.dotmac.licensing.license.rest.RevokedSource;
import io.dotmac.licensing.license.rest.SourceStatusChange;
import io.dotmac.licensing.license.rest.VerifyResponse;
import java.time.Instant;
import java.util.List;

/** API bodies to and from the license model, at the edge. */
public final class LicenseMapper {

    private LicenseMapper() {
    }

    /** The request as asked: billing_cycle stays null when not given, until the quote's is looked up. */
    public static IssueLicenses toCommand(IssueRequest request) {
        return new IssueLicenses(request.customerId().trim(), request.sourceId().trim(), BillingCycle.of(request.billingCycle()),
                request.products().stream()
                        .map(line -> new IssueLicenses.ProductQuantity(line.productCode(), line.quantity()))
                        .toList());
    }

    public static LicenseSet toSet(IssuedLicenses issued) {
        return new LicenseSet(issued.customerId(), issued.sourceId(), toViews(issued.licenses()));
    }

    public static LicenseRenewal toRenewal(RenewedLicenses renewed) {
        return new LicenseRenewal(renewed.sourceId(), renewed.invoiceId(), renewed.periodEnd(), renewed.renewed(),
                toViews(renewed.licenses()));
    }

    public static LicenseChange toChange(ChangedLicenses changed) {
        return new LicenseChange(changed.sourceId(), changed.changeId(), changed.sequence(), changed.changed(),
                toViews(changed.licenses()));
    }

    public static RevokedSource toRevoked(SourceLicenses revoked) {
        return new RevokedSource(revoked.sourceId(), revoked.changed(), toViews(revoked.licenses()));
    }

    public static SourceStatusChange toStatusChange(SourceLicenses changed) {
        return new SourceStatusChange(changed.sourceId(), changed.changed(), toViews(changed.licenses()));
    }

    // One instant for the whole list, so its licenses' statuses agree.
    private static List<LicenseView> toViews(List<License> licenses) {
        Instant now = Instant.now();
        return licenses.stream().map(license -> toView(license, now)).toList();
    }

    public static LicenseView toView(License license) {
        return toView(license, Instant.now());
    }

    private static LicenseView toView(License license, Instant now) {
        return new LicenseView(license.id, license.customerId, license.sourceId, license.productCode, license.seats,
                List.of(license.features), license.statusAt(now).code(), List.copyOf(license.holds.keySet()),
                license.billingCycle.code(), license.issuedAt,
                license.expiresAt, license.keyId, license.licenseKey);
    }

    public static VerifyResponse toResponse(Verification verification) {
        return new VerifyResponse(verification.valid(), verification.reason().code(), verification.licenseId(),
                verification.tenantId(), verification.productCode(), verification.customerId(), verification.expiresAt());
    }
}
