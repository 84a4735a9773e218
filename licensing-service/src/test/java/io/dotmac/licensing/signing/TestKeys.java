package io.dotmac.licensing.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** The test-only license key pair under src/test/resources/license-keys, as PEM text. */
public final class TestKeys {

    public static final String PRIVATE_PEM = resource("license-keys/test-private.pem");
    public static final String PUBLIC_PEM = resource("license-keys/test-public.pem");

    private TestKeys() {
    }

    /** A signer with the test private key, the one the service signs with in the test profile. */
    public static LicenseSigner signer() {
        return new LicenseSigner(LicenseSigner.readPrivateKey(PRIVATE_PEM), LicenseKeyVerifier.fromPem(PUBLIC_PEM).keyId());
    }

    /**
     * A key in the first format (ver 1, without tenant_id), as the service issued them before keys
     * named their tenant, signed with the test private key.
     */
    public static String firstFormatKey(UUID licenseId, String customerId, String productCode, int seats, Instant issuedAt,
                                        Instant expiresAt) {
        return signed("""
                {"ver":1,"kid":"%s","license_id":"%s","customer_id":"%s","product_code":"%s","seats":%d,"features":[],\
                "issued_at":"%s","expires_at":"%s"}""".formatted(LicenseKeyVerifier.fromPem(PUBLIC_PEM).keyId(), licenseId,
                customerId, productCode, seats, issuedAt, expiresAt));
    }

    /** {@code payload} signed with the test private key, as a license key: whatever it says. */
    public static String signed(String payload) {
        try {
            Signature signature = Signature.getInstance(LicenseKeyVerifier.ALGORITHM);
            signature.initSign(LicenseSigner.readPrivateKey(PRIVATE_PEM));
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            signature.update(bytes);
            Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
            return base64url.encodeToString(bytes) + "." + base64url.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = TestKeys.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
