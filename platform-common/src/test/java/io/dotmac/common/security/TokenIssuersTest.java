package io.dotmac.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Picking the verifier reads an untrusted header: whatever it holds, the answer is an issuer or null. */
class TokenIssuersTest {

    @Test
    void readsTheIssuerOfABearerJwt() {
        assertEquals("https://idp", TokenIssuers.issuer("Bearer " + jwt("{\"iss\":\"https://idp\"}")));
        assertEquals("https://idp", TokenIssuers.issuer("bearer " + jwt("{\"iss\":\"https://idp\",\"aud\":[1]}")));
    }

    @Test
    void anythingElseHasNone() {
        assertNull(TokenIssuers.issuer(null));
        assertNull(TokenIssuers.issuer("Basic dTpw"));
        assertNull(TokenIssuers.issuer("Bearer"));
        assertNull(TokenIssuers.issuer("Bearer a.b"));
        assertNull(TokenIssuers.issuer("Bearer " + jwt("{\"iss\":5}")));
        assertNull(TokenIssuers.issuer("Bearer " + jwt("{\"iss\":null}")));
        assertNull(TokenIssuers.issuer("Bearer " + jwt("[\"iss\"]")));
        assertNull(TokenIssuers.issuer("Bearer " + jwt("not json")));
        assertNull(TokenIssuers.issuer("Bearer a.%%%.c"));
        assertNull(TokenIssuers.issuer("Bearer a." + "A".repeat(20_000) + ".c"));
    }

    private static String jwt(String payload) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
