package io.dotmac.licensing.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The status rules and expiry arithmetic, without a database. */
class LicenseRulesTest {

    static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

    static License license(LicenseStatus status, Instant expiresAt) {
        License license = new License();
        license.id = UUID.randomUUID();
        license.status = status;
        license.expiresAt = expiresAt;
        return license;
    }

    @Test
    void expiryFollowsTheCalendarInUtc() {
        assertEquals(Instant.parse("2026-02-28T12:00:00Z"), BillingCycle.MONTHLY.expiryFrom(NOW));
        assertEquals(Instant.parse("2027-01-31T12:00:00Z"), BillingCycle.ANNUAL.expiryFrom(NOW));
        assertEquals(Instant.parse("2029-02-28T00:00:00Z"), BillingCycle.ANNUAL.expiryFrom(Instant.parse("2028-02-29T00:00:00Z")));
        // Not given is no cycle (the quote's is used), not a default.
        assertNull(BillingCycle.of(null));
        assertNull(BillingCycle.of(" "));
        assertEquals(BillingCycle.ANNUAL, BillingCycle.find("annual"));
        assertNull(BillingCycle.find("weekly"));
        assertEquals(BillingCycle.MONTHLY, BillingCycle.of("Monthly"));
        assertThrows(InvalidRequest.class, () -> BillingCycle.of("weekly"));
    }

    @Test
    void pastItsExpiryALicenseIsExpiredUnlessRevoked() {
        Instant past = NOW.minusSeconds(1);
        assertEquals(LicenseStatus.EXPIRED, license(LicenseStatus.ACTIVE, past).statusAt(NOW));
        assertEquals(LicenseStatus.EXPIRED, license(LicenseStatus.SUSPENDED, past).statusAt(NOW));
        assertEquals(LicenseStatus.REVOKED, license(LicenseStatus.REVOKED, past).statusAt(NOW));
        // Expiry is exclusive: at the instant itself the license has run out.
        assertEquals(LicenseStatus.EXPIRED, license(LicenseStatus.ACTIVE, NOW).statusAt(NOW));
        assertEquals(LicenseStatus.ACTIVE, license(LicenseStatus.ACTIVE, NOW.plusSeconds(1)).statusAt(NOW));
    }

    @Test
    void transitions() {
        Instant later = NOW.plusSeconds(3600);
        License license = license(LicenseStatus.ACTIVE, later);

        license.suspend(NOW);
        assertEquals(LicenseStatus.SUSPENDED, license.status);
        assertEquals(NOW, license.suspendedAt);
        assertThrows(Conflict.class, () -> license.suspend(NOW), "suspended twice");

        license.reinstate(NOW);
        assertEquals(LicenseStatus.ACTIVE, license.status);
        assertEquals(null, license.suspendedAt);

        license.revoke(NOW);
        assertEquals(LicenseStatus.REVOKED, license.status);
        assertEquals(NOW, license.revokedAt);
        for (Runnable change : new Runnable[] {() -> license.revoke(NOW), () -> license.suspend(NOW), () -> license.reinstate(NOW)}) {
            Conflict refused = assertThrows(Conflict.class, change::run);
            assertEquals(true, refused.getMessage().contains("revoked"), refused.getMessage());
        }
    }

    @Test
    void anExpiredLicenseCanBeRevokedButNotSuspendedOrReinstated() {
        License expired = license(LicenseStatus.SUSPENDED, NOW.minusSeconds(60));
        assertThrows(Conflict.class, () -> expired.reinstate(NOW));
        assertThrows(Conflict.class, () -> expired.suspend(NOW));
        expired.revoke(NOW);
        assertEquals(LicenseStatus.REVOKED, expired.statusAt(NOW));
    }
}
