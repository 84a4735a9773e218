package io.dotmac.licensing.signing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a license key offline, with nothing but the JDK and the issuer's Ed25519 public key, so
 * that a deployment can verify its licenses without calling back (this file has no other
 * dependency on purpose: it can be copied as is).
 *
 * <p>A key is {@code base64url(payload) "." base64url(signature)}, unpadded, where the signature is
 * Ed25519 over the payload's bytes and the payload is a JSON object: {@code ver} (2), {@code kid}
 * (the signing key's id, see {@link #keyIdOf}), {@code license_id}, {@code tenant_id} (the issuing
 * tenant), {@code customer_id}, {@code product_code}, {@code seats}, {@code features} (strings),
 * {@code issued_at} and {@code expires_at} (ISO-8601 instants). Version 1, issued before keys named
 * their tenant, is the same without {@code tenant_id}; both are read.
 */
public final class LicenseKeyVerifier {

    public static final String ALGORITHM = "Ed25519";
    /** The version keys are issued in; {@link #FIRST_VERSION} keys, without tenant_id, still verify. */
    public static final int FORMAT_VERSION = 2;
    static final int FIRST_VERSION = 1;
    // A real key is well under 1 KiB; anything much longer is not one, and is not worth parsing.
    static final int MAX_KEY_LENGTH = 16 * 1024;

    /** Why a key is or is not valid, as far as the key alone can tell. */
    public enum Reason {
        VALID, MALFORMED, BAD_SIGNATURE, EXPIRED;

        /** The lower-case name used on the wire ("bad_signature"). */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a license key says, once its signature is checked; {@code tenantId} is null in a version 1 key. */
    public record Claims(String keyId, UUID licenseId, String tenantId, String customerId, String productCode,
                         int seats, List<String> features, Instant issuedAt, Instant expiresAt) {
        public Claims {
            features = List.copyOf(features);
        }
    }

    /** The outcome; {@code claims} is null unless the signature is good and the payload well formed. */
    public record Result(Reason reason, Claims claims) {
        public boolean valid() {
            return reason == Reason.VALID;
        }
    }

    private final PublicKey key;
    private final String keyId;

    public LicenseKeyVerifier(PublicKey key) {
        if (!(key instanceof EdECPublicKey)) {
            throw new IllegalArgumentException("an Ed25519 public key is required, got " + key.getAlgorithm());
        }
        this.key = key;
        this.keyId = keyIdOf(key);
    }

    /** A verifier for the public key in {@code pem} (X.509 SubjectPublicKeyInfo, "BEGIN PUBLIC KEY"). */
    public static LicenseKeyVerifier fromPem(String pem) {
        return new LicenseKeyVerifier(readPublicKey(pem));
    }

    public static PublicKey readPublicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The DER bytes between the {@code BEGIN label} and {@code END label} lines of a PEM text. */
    static byte[] pemBody(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem == null ? -1 : pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("no " + begin + " ... " + end + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    /** A short, stable id of a public key: "ed25519-" and the first 8 bytes of the SHA-256 of its encoding, in hex. */
    public static String keyIdOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "ed25519-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** Signature, payload, then expiry against {@code now}. */
    public Result verify(String licenseKey, Instant now) {
        Result signed = verifySignature(licenseKey);
        if (signed.valid() && !now.isBefore(signed.claims().expiresAt())) {
            return new Result(Reason.EXPIRED, signed.claims());
        }
        return signed;
    }

    /**
     * Signature and payload only, no clock: for the issuer, whose own records say whether the license
     * is still in force.
     */
    public Result verifySignature(String licenseKey) {
        if (licenseKey == null || licenseKey.length() > MAX_KEY_LENGTH) {
            return new Result(Reason.MALFORMED, null);
        }
        String[] parts = licenseKey.trim().split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return new Result(Reason.MALFORMED, null);
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(parts[0]);
            signature = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return new Result(Reason.MALFORMED, null);
        }
        if (!signatureMatches(payload, signature)) {
            return new Result(Reason.BAD_SIGNATURE, null);
        }
        // Well signed by our key, so the payload is ours; it is still parsed defensively.
        Claims claims = claims(payload);
        return claims == null ? new Result(Reason.MALFORMED, null) : new Result(Reason.VALID, claims);
    }

    private boolean signatureMatches(byte[] payload, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A signature of the wrong length or encoding: not ours.
            return false;
        }
    }

    private static Claims claims(byte[] payload) {
        try {
            Object parsed = new JsonReader(new String(payload, StandardCharsets.UTF_8)).document();
            if (!(parsed instanceof Map<?, ?> json) || !(json.get("ver") instanceof BigDecimal ver)) {
                return null;
            }
            int version = ver.intValueExact();
            if (version != FORMAT_VERSION && version != FIRST_VERSION) {
                return null;
            }
            // A version 1 key names no tenant: its stored license does.
            String tenantId = version == FIRST_VERSION ? null : text(json, "tenant_id");
            List<String> features = new ArrayList<>();
            if (!(json.get("features") instanceof List<?> list)) {
                return null;
            }
            for (Object feature : list) {
                features.add((String) feature);
            }
            return new Claims(text(json, "kid"), UUID.fromString(text(json, "license_id")), tenantId,
                    text(json, "customer_id"), text(json, "product_code"), ((BigDecimal) json.get("seats")).intValueExact(),
                    features, Instant.parse(text(json, "issued_at")), Instant.parse(text(json, "expires_at")));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | ArithmeticException
                 | DateTimeException e) {
            return null;
        }
    }

    private static String text(Map<?, ?> json, String field) {
        Object value = json.get(field);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return s;
    }

    /**
     * Just enough JSON for a payload (objects, arrays, strings, numbers as BigDecimal, true, false,
     * null), strict, so that the verifier needs no library.
     */
    static final class JsonReader {
        private static final int MAX_DEPTH = 8;
        private final String text;
        private int pos;

        JsonReader(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value(0);
            skipSpace();
            if (pos != text.length()) {
                throw error("trailing characters");
            }
            return value;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a field name");
                }
                String name = string();
                skipSpace();
                expect(':');
                if (map.containsKey(name)) {
                    throw error("duplicate field " + name);
                }
                map.put(name, value(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = pos < text.length() ? text.charAt(pos++) : 0;
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private BigDecimal number() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw error("unexpected character");
            }
            return new BigDecimal(text.substring(start, pos));
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character");
            }
            pos += word.length();
            return value;
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("payload is not valid JSON: " + what + " at " + pos);
        }
    }
}
