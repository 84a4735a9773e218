package io.dotmac.licensing.license.rest;

public record PublicKey(String algorithm, String keyId, String publicKeyPem) {
}
