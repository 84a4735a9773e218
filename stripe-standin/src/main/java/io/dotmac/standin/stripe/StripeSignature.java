package io.dotmac.standin.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook's {@code Stripe-Signature} as Stripe computes it: an HMAC-SHA256 of
 * {@code <timestamp>.<payload>} with the endpoint secret, by hand rather than with stripe-java, so
 * that whoever checks a signature with stripe-java checks it against Stripe's scheme, not against
 * itself. The stand-in's webhooks and the tests that forge or replay one sign with it.
 */
public final class StripeSignature {

    private StripeSignature() {
    }

    /** The header's value for the payload, signed at {@code timestamp} (unix seconds). */
    public static String of(String payload, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + timestamp + ",v1="
                    + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
