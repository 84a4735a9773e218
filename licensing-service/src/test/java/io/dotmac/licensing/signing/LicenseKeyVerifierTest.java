package io.dotmac.licensing.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.licensing.signing.LicenseKeyVerifier.Claims;
import io.dotmac.licensing.signing.LicenseKeyVerifier.Reason;
import io.dotmac.licensing.signing.LicenseKeyVerifier.Result;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Offline verification, outside Quarkus: a key made by the service's signer with the test-only
 * private key is checked with nothing but the public key's PEM and the JDK.
 */
class LicenseKeyVerifierTest {

    static final String PRIVATE_PEM = TestKeys.PRIVATE_PEM;
    static final String PUBLIC_PEM = TestKeys.PUBLIC_PEM;
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    final LicenseKeyVerifier verifier = LicenseKeyVerifier.fromPem(PUBLIC_PEM);
    final LicenseSigner signer = new LicenseSigner(LicenseSigner.readPrivateKey(PRIVATE_PEM), verifier.keyId());

    static Claims claims(String customer, Instant expiresAt) {
        return new Claims(null, UUID.randomUUID(), "vendor-a", customer, "support-desk", 5,
                List.of("ticketing", "sla-tracking"), NOW.minus(30, ChronoUnit.DAYS), expiresAt);
    }

    @Test
    void aKeyVerifiesWithOnlyThePublicKeyAndCarriesItsClaims() {
        Claims issued = claims("acme-isp", NOW.plus(335, ChronoUnit.DAYS));
        String key = signer.sign(issued);

        Result result = verifier.verify(key, NOW);

        assertTrue(result.valid());
        assertEquals(Reason.VALID, result.reason());
        Claims read = result.claims();
        assertEquals(verifier.keyId(), read.keyId());
        assertEquals(issued.licenseId(), read.licenseId());
        assertEquals("vendor-a", read.tenantId());
        assertEquals("acme-isp", read.customerId());
        assertEquals("support-desk", read.productCode());
        assertEquals(5, read.seats());
        assertEquals(List.of("ticketing", "sla-tracking"), read.features());
        assertEquals(issued.issuedAt(), read.issuedAt());
        assertEquals(issued.expiresAt(), read.expiresAt());
    }

    @Test
    void keyIdNamesThePublicKey() {
        assertTrue(verifier.keyId().matches("ed25519-[0-9a-f]{16}"), verifier.keyId());
        assertEquals(verifier.keyId(), LicenseKeyVerifier.fromPem(PUBLIC_PEM).keyId());
    }

    @Test
    void oneChangedByteOfThePayloadBreaksTheSignature() {
        String key = signer.sign(claims("acme-isp", NOW.plus(1, ChronoUnit.DAYS)));
        String[] parts = key.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        // "seats":5 becomes "seats":4: still well-formed JSON, only the signature can tell.
        String json = new String(payload, StandardCharsets.UTF_8);
        int seats = json.indexOf("\"seats\":5") + "\"seats\":".length();
        payload[seats] = '4';
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];

        Result result = verifier.verify(forged, NOW);

        assertFalse(result.valid());
        assertEquals(Reason.BAD_SIGNATURE, result.reason());
        assertNull(result.claims());
    }

    @Test
    void oneChangedByteOfTheSignatureBreaksIt() {
        String key = signer.sign(claims("acme-isp", NOW.plus(1, ChronoUnit.DAYS)));
        String[] parts = key.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[1]);
        signature[10] ^= 0x01;
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        assertEquals(Reason.BAD_SIGNATURE, verifier.verify(forged, NOW).reason());
    }

    @Test
    void aKeySignedByAnotherPairIsABadSignature() throws NoSuchAlgorithmException {
        var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String key = new LicenseSigner(other.getPrivate(), LicenseKeyVerifier.keyIdOf(other.getPublic()))
                .sign(claims("acme-isp", NOW.plus(1, ChronoUnit.DAYS)));

        assertEquals(Reason.BAD_SIGNATURE, verifier.verify(key, NOW).reason());
        assertEquals(Reason.VALID, new LicenseKeyVerifier(other.getPublic()).verify(key, NOW).reason());
    }

    @Test
    void aKeyPastItsExpiryIsExpiredWithItsClaims() {
        Claims issued = claims("acme-isp", NOW.minusSeconds(1));
        Result result = verifier.verify(signer.sign(issued), NOW);

        assertEquals(Reason.EXPIRED, result.reason());
        assertEquals(issued.licenseId(), result.claims().licenseId());
        // The issuer's check leaves expiry to its records.
        assertEquals(Reason.VALID, verifier.verifySignature(signer.sign(issued)).reason());
    }

    @Test
    void notAKeyIsMalformed() {
        for (String garbage : new String[] {null, "", "abc", "a.b.c", ".", "not base64!.x", "x".repeat(20_000) + ".y"}) {
            assertEquals(Reason.MALFORMED, verifier.verify(garbage, NOW).reason(), String.valueOf(garbage));
        }
    }

    @Test
    void aWellSignedPayloadThatIsNotALicenseIsMalformed() {
        assertEquals(Reason.MALFORMED, verifier.verify(TestKeys.signed("{\"ver\":1,\"kid\":\"x\"}"), NOW).reason());
    }

    @Test
    void aKeyOfTheFirstFormatStillVerifiesAndNamesNoTenant() {
        UUID id = UUID.randomUUID();
        String key = TestKeys.firstFormatKey(id, "acme-isp", "isp-core", 1, NOW.minus(1, ChronoUnit.DAYS),
                NOW.plus(1, ChronoUnit.DAYS));

        Result result = verifier.verify(key, NOW);

        assertEquals(Reason.VALID, result.reason());
        assertEquals(id, result.claims().licenseId());
        assertEquals("acme-isp", result.claims().customerId());
        assertNull(result.claims().tenantId());
    }

    @Test
    void aKeyOfTheCurrentFormatWithoutATenantOrOfAnUnknownVersionIsMalformed() {
        String withTenant = new String(Base64.getUrlDecoder().decode(
                signer.sign(claims("acme-isp", NOW.plus(1, ChronoUnit.DAYS))).split("\\.")[0]), StandardCharsets.UTF_8);
        assertTrue(withTenant.startsWith("{\"ver\":2,"), withTenant);

        String withoutTenant = withTenant.replace("\"tenant_id\":\"vendor-a\",", "");
        assertEquals(Reason.MALFORMED, verifier.verify(TestKeys.signed(withoutTenant), NOW).reason());
        String nextVersion = withTenant.replace("{\"ver\":2,", "{\"ver\":3,");
        assertEquals(Reason.MALFORMED, verifier.verify(TestKeys.signed(nextVersion), NOW).reason());
        assertEquals(Reason.VALID, verifier.verify(TestKeys.signed(withTenant), NOW).reason());
    }

    @Test
    void theSignerRefusesClaimsWithoutATenant() {
        Claims issued = claims("acme-isp", NOW.plus(1, ChronoUnit.DAYS));
        Claims withoutTenant = new Claims(null, issued.licenseId(), null, issued.customerId(), issued.productCode(),
                issued.seats(), issued.features(), issued.issuedAt(), issued.expiresAt());

        assertThrows(NullPointerException.class, () -> signer.sign(withoutTenant));
    }

    @Test
    void customerIdsWithQuotesAndNonAsciiSurviveTheRoundTrip() {
        String customer = "acmé \"isp\" \\ \n ✓";
        Result result = verifier.verify(signer.sign(claims(customer, NOW.plus(1, ChronoUnit.DAYS))), NOW);

        assertEquals(Reason.VALID, result.reason());
        assertEquals(customer, result.claims().customerId());
    }

    @Test
    void keysOfTheWrongKindAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LicenseKeyVerifier.fromPem(PRIVATE_PEM));
        assertThrows(IllegalArgumentException.class, () -> LicenseSigner.readPrivateKey(PUBLIC_PEM));
    }
}
