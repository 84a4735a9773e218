package io.dotmac.common.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start with the guide's {@code EVENT_BUS_TYPE} naming a bus we do not have (its
 * {@code redis}, say), or an {@code EVENT_BUS_URL} that is not a Kafka address: starting anyway
 * would publish nothing and leave every journey waiting for events that never come.
 */
@ApplicationScoped
class EventBusCheck {

    void check(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        EventBusEnvironment.problem(name -> config.getOptionalValue(name, String.class).orElse(null)).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }
}
