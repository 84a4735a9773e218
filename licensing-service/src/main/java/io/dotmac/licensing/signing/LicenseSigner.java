package io.dotmac.licensing.signing;

import io.dotmac.licensing.signing.LicenseKeyVerifier.Claims;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * Makes license keys: the claims as a JSON payload, signed with the issuer's Ed25519 private key,
 * in the format {@link LicenseKeyVerifier} reads. Plain JDK, like the verifier.
 */
public final class LicenseSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String keyId;

    /** {@code keyId} names the public half ({@link LicenseKeyVerifier#keyIdOf}), so a verifier holding several keys can pick one. */
    public LicenseSigner(PrivateKey key, String keyId) {
        if (!(key instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("an Ed25519 private key is required, got " + key.getAlgorithm());
        }
        this.key = key;
        this.keyId = keyId;
    }

    /** The private key in {@code pem} (PKCS#8, "BEGIN PRIVATE KEY", as {@code openssl genpkey -algorithm ed25519} writes it). */
    public static PrivateKey readPrivateKey(String pem) {
        try {
            return KeyFactory.getInstance(LicenseKeyVerifier.ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(LicenseKeyVerifier.pemBody(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /**
     * The license key for {@code claims}, in the current format version, which names the issuing
     * tenant (required); their {@code keyId} is ignored in favour of this signer's.
     */
    public String sign(Claims claims) {
        Objects.requireNonNull(claims.tenantId(), "a license key names its issuing tenant");
        byte[] payload = payload(claims).getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance(LicenseKeyVerifier.ALGORITHM);
            signer.initSign(key);
            signer.update(payload);
            return BASE64URL.encodeToString(payload) + "." + BASE64URL.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a license key", e);
        }
    }

    private String payload(Claims claims) {
        StringBuilder features = new StringBuilder("[");
        for (String feature : claims.features()) {
            features.append(features.length() > 1 ? "," : "").append(quote(feature));
        }
        features.append(']');
        return "{\"ver\":" + LicenseKeyVerifier.FORMAT_VERSION
                + ",\"kid\":" + quote(keyId)
                + ",\"license_id\":" + quote(claims.licenseId().toString())
                + ",\"tenant_id\":" + quote(claims.tenantId())
                + ",\"customer_id\":" + quote(claims.customerId())
                + ",\"product_code\":" + quote(claims.productCode())
                + ",\"seats\":" + claims.seats()
                + ",\"features\":" + features
                + ",\"issued_at\":" + quote(claims.issuedAt().toString())
                + ",\"expires_at\":" + quote(claims.expiresAt().toString())
                + "}";
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
