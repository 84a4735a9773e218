package io.dotmac.licensing.signing;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Where the license signing key pair is: PEM files (a path, or a classpath resource in tests),
 * from LICENSE_PRIVATE_KEY_LOCATION and LICENSE_PUBLIC_KEY_LOCATION. Optional here only so that
 * {@link SigningKeys} can refuse to start with a message that names them.
 */
@ConfigMapping(prefix = "licensing.signing")
public interface SigningConfig {

    Optional<String> privateKeyLocation();

    Optional<String> publicKeyLocation();
}
