package io.dotmac.workflow.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's signing key is found where deploy/local and Kubernetes put it (a file) and where tests do (the classpath). */
class ServiceTokensKeyTest {

    @Test
    void readsTheKeyFromAFileAndFromTheClasspath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwt-private.pem");
        try (InputStream pem = getClass().getClassLoader().getResourceAsStream("jwt/test-private.pem")) {
            Files.write(file, pem.readAllBytes());
        }
        PrivateKey fromFile = ServiceTokens.read(file.toString());
        PrivateKey fromUri = ServiceTokens.read("file:" + file);
        PrivateKey fromClasspath = ServiceTokens.read("jwt/test-private.pem");
        assertEquals("RSA", fromFile.getAlgorithm());
        assertEquals(fromClasspath, fromFile);
        assertEquals(fromClasspath, fromUri);
    }

    @Test
    void aMissingKeySaysWhere() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceTokens.read("/nowhere/key.pem"));
        assertTrue(e.getMessage().contains("/nowhere/key.pem"), e.getMessage());
    }
}
