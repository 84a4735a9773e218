package io.dotmac.licensing.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

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
