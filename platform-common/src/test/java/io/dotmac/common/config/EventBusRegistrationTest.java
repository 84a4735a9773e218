package io.dotmac.common.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** A running service reads the guide's settings: the factory is found and its source is among the config's. */
@QuarkusTest
class EventBusRegistrationTest {

    @Test
    void theGuidesSettingsAreAConfigSourceOfTheRunningService() {
        Iterable<ConfigSource> sources = ConfigProvider.getConfig().getConfigSources();
        assertTrue(StreamSupport.stream(sources.spliterator(), false)
                        .anyMatch(source -> source.getName().contains("EventBusEnvironment")
                                && source.getOrdinal() == EventBusEnvironment.ORDINAL),
                "config sources: " + StreamSupport.stream(sources.spliterator(), false).map(ConfigSource::getName).toList());
    }
}
