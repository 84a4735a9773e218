package io.dotmac.licensing.signing;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The service's license signing key pair, loaded once at start: the application does not start
 * without both halves, or with halves that do not belong together, rather than failing at the
 * first license issued.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final LicenseSigner signer;
    private final LicenseKeyVerifier verifier;
    private final String publicKeyPem;

    SigningKeys(SigningConfig config) {
        PrivateKey privateKey = parse(config.privateKeyLocation(), "licensing.signing.private-key-location",
                "LICENSE_PRIVATE_KEY_LOCATION", LicenseSigner::readPrivateKey);
        PublicKey publicKey = parse(config.publicKeyLocation(), "licensing.signing.public-key-location",
                "LICENSE_PUBLIC_KEY_LOCATION", LicenseKeyVerifier::readPublicKey);
        this.verifier = new LicenseKeyVerifier(publicKey);
        this.signer = new LicenseSigner(privateKey, verifier.keyId());
        this.publicKeyPem = pem(publicKey);
        checkPair();
        LOG.infof("license keys are signed with key %s", verifier.keyId());
    }

    public LicenseSigner signer() {
        return signer;
    }

    public LicenseKeyVerifier verifier() {
        return verifier;
    }

    public String keyId() {
        return verifier.keyId();
    }

    /** The public key as PEM (X.509 SubjectPublicKeyInfo), what a deployment needs to verify offline. */
    public String publicKeyPem() {
        return publicKeyPem;
    }

    // Keys from two different pairs would sign licenses that nobody can verify.
    private void checkPair() {
        Instant now = Instant.now();
        String probe = signer.sign(new LicenseKeyVerifier.Claims(signer.keyId(), UUID.randomUUID(), "probe", "probe",
                "probe", 1, List.of(), now, now.plusSeconds(60)));
        if (!verifier.verifySignature(probe).valid()) {
            throw new IllegalStateException("The license signing keys do not belong together: the public key at "
                    + "licensing.signing.public-key-location does not verify what the private key signs");
        }
    }

    private static <K> K parse(Optional<String> location, String property, String variable, Function<String, K> reader) {
        String pem = read(location, property, variable);
        try {
            return reader.apply(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The license signing key " + location.orElseThrow() + " (" + variable + ") is not "
                    + "an Ed25519 key in PEM of the expected kind: " + e.getMessage(), e);
        }
    }

    private static String read(Optional<String> location, String property, String variable) {
        String where = location.filter(l -> !l.isBlank()).orElseThrow(() -> new IllegalStateException(
                "No license signing key: set " + variable + " (" + property + ") to a PEM file; "
                        + "openssl genpkey -algorithm ed25519 makes the private key, openssl pkey -pubout its public half"));
        try {
            Path file = Path.of(where);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            // Not a file: a classpath resource (the test-only pair under src/test/resources).
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(where)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the license signing key " + where + " (" + variable + "): " + e.getMessage(), e);
        }
        throw new IllegalStateException("The license signing key " + where + " (" + variable + ", " + property
                + ") is neither a file nor a classpath resource");
    }

    private static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }
}
