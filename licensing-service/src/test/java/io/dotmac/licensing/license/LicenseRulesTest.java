package io.dotmac.licensing.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import java.time.Instant;
import java.util.List;
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
    void suspendedWhileAnyHoldIsOn() {
        License license = license(LicenseStatus.ACTIVE, NOW.plusSeconds(3600));

        assertTrue(license.hold(Hold.OPERATOR, "abuse", NOW));
        assertEquals(LicenseStatus.SUSPENDED, license.status);
        assertEquals(NOW, license.suspendedAt);
        assertFalse(license.hold(Hold.OPERATOR, "again", NOW.plusSeconds(1)), "a hold on already changes nothing");
        assertEquals(new Hold("abuse", NOW), license.holds.get(Hold.OPERATOR));

        assertTrue(license.hold("invoice:a", null, NOW.plusSeconds(5)));
        assertEquals(NOW, license.suspendedAt, "the suspension began with the first hold");
        assertEquals(List.of("invoice:a", "operator"), List.copyOf(license.holds.keySet()));

        assertTrue(license.lift("invoice:a", NOW));
        assertEquals(LicenseStatus.SUSPENDED, license.status, "the operator's hold remains");
        assertFalse(license.lift("invoice:a", NOW), "nothing to lift");
        assertTrue(license.lift(Hold.OPERATOR, NOW));
        assertEquals(LicenseStatus.ACTIVE, license.status);
        assertNull(license.suspendedAt);
        assertFalse(license.lift(Hold.OPERATOR, NOW));
    }

    @Test
    void aLicensePastItsExpiryIsHeldAndLiftedByItsStoredStatus() {
        License license = license(LicenseStatus.ACTIVE, NOW.minusSeconds(60));
        assertTrue(license.hold("invoice:a", null, NOW));
        assertEquals(LicenseStatus.EXPIRED, license.statusAt(NOW));
        assertTrue(license.lift("invoice:a", NOW));
        assertEquals(LicenseStatus.ACTIVE, license.status, "a renewal finds it active");
    }

    @Test
    void revocationIsFinalAndKeepsTheHoldsUntilLifted() {
        License license = license(LicenseStatus.ACTIVE, NOW.plusSeconds(3600));
        license.hold("invoice:a", null, NOW);

        license.revoke(NOW);
        assertEquals(LicenseStatus.REVOKED, license.status);
        assertEquals(NOW, license.revokedAt);
        Conflict refused = assertThrows(Conflict.class, () -> license.revoke(NOW));
        assertTrue(refused.getMessage().contains("revoked"), refused.getMessage());
        refused = assertThrows(Conflict.class, () -> license.hold(Hold.OPERATOR, null, NOW));
        assertTrue(refused.getMessage().contains("it is revoked"), refused.getMessage());
        assertFalse(license.holdable());

        assertFalse(license.lift(Hold.OPERATOR, NOW));
        assertTrue(license.lift("invoice:a", NOW));
        assertEquals(LicenseStatus.REVOKED, license.status);
    }

    @Test
    void aLicenseExpiredWithItsSubscriptionEndsThenAndStaysExpired() {
        License license = license(LicenseStatus.SUSPENDED, NOW.plusSeconds(3600));
        license.expire(NOW);
        assertEquals(LicenseStatus.EXPIRED, license.status);
        assertEquals(NOW, license.expiresAt);
        // Stored, not only derived: whatever the clock of whoever reads it, and no renewal extends it.
        assertEquals(LicenseStatus.EXPIRED, license.statusAt(NOW.minusSeconds(1)));
        assertFalse(license.renewableTo(NOW.plusSeconds(86_400)));
        assertThrows(Conflict.class, () -> license.hold(Hold.OPERATOR, null, NOW));
        assertFalse(license.lift(Hold.OPERATOR, NOW));
        assertEquals(LicenseStatus.EXPIRED, license.status);
    }

    @Test
    void anExpiredLicenseCanBeRevoked() {
        License expired = license(LicenseStatus.SUSPENDED, NOW.minusSeconds(60));
        expired.revoke(NOW);
        assertEquals(LicenseStatus.REVOKED, expired.statusAt(NOW));
    }
}
