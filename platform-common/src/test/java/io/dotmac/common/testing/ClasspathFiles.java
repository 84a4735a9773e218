package io.dotmac.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * For a {@code @QuarkusIntegrationTest}: the packaged application runs without the tests' resources on
 * its classpath, so a setting that names one (a test key) is given it as the file's path. Each init
 * argument is a setting and the classpath resource it names in the test profile.
 */
public class ClasspathFiles implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> resources = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        resources = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>();
        resources.forEach((setting, resource) -> settings.put(setting, onDisk(resource).toString()));
        return settings;
    }

    @Override
    public void stop() {
    }

    private static Path onDisk(String resource) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            // In a test jar (platform-common's keys): copied out for the application to read.
            Path copy = Files.createTempFile("test-resource-", "-" + Path.of(resource).getFileName());
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
