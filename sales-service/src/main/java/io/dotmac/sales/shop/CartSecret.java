package io.dotmac.sales.shop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret in a visitor's cookie that proves a cart is theirs: 256 random bits, of which the
 * database keeps only the SHA-256 hash, compared in constant time.
 */
public final class CartSecret {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 bytes in unpadded base64url. */
    private static final int LENGTH = 43;

    private CartSecret() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Whether the secret (null when the visitor sent none) is the one whose hash is kept. */
    static boolean matches(String secret, byte[] hash) {
        return secret != null && secret.length() == LENGTH && MessageDigest.isEqual(hash(secret), hash);
    }
}
