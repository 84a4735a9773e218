package io.dotmac.common.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The product's original guide configures its event bus with {@code EVENT_BUS_TYPE} and
 * {@code EVENT_BUS_URL}; ours is Kafka, configured by {@code KAFKA_BOOTSTRAP_SERVERS}. This
 * factory takes {@code EVENT_BUS_URL} (from the environment, a {@code .env} file or any other
 * source) as the Kafka bootstrap servers when {@code KAFKA_BOOTSTRAP_SERVERS} is not set
 * ({@code kafka://broker:9092} or {@code broker:9092}, comma-separated), just below the
 * environment's ordinal so that an explicit setting always wins. Which values are refused is
 * {@link EventBusCheck}'s to say at start: a config source cannot fail readably.
 */
public class EventBusEnvironment implements ConfigSourceFactory {

    public static final String TYPE = "EVENT_BUS_TYPE";
    public static final String URL = "EVENT_BUS_URL";
    static final String BOOTSTRAP = "kafka.bootstrap.servers";
    static final int ORDINAL = 290;
    private static final String KAFKA_SCHEME = "kafka://";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> properties = properties(name -> {
            ConfigValue value = context.getValue(name);
            return value == null ? null : value.getValue();
        });
        return List.of(new PropertiesConfigSource(properties, "EventBusEnvironment (EVENT_BUS_URL as the Kafka bootstrap servers)",
                ORDINAL));
    }

    // Just below the environment (300): KAFKA_BOOTSTRAP_SERVERS, or a system property, wins.
    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** What the guide's settings, as {@code setting} finds them, say about Kafka's own: nothing, or its servers. */
    static Map<String, String> properties(Function<String, String> setting) {
        String url = setting.apply(URL);
        String explicit = setting.apply("KAFKA_BOOTSTRAP_SERVERS");
        return url == null || url.isBlank() || (explicit != null && !explicit.isBlank()) || problem(setting).isPresent()
                ? Map.of()
                : Map.of(BOOTSTRAP, bootstrapServers(url));
    }

    /** {@code kafka://a:9092, b:9092} → {@code a:9092,b:9092}. */
    static String bootstrapServers(String url) {
        return Arrays.stream(url.split(","))
                .map(String::trim)
                .filter(server -> !server.isEmpty())
                .map(server -> server.regionMatches(true, 0, KAFKA_SCHEME, 0, KAFKA_SCHEME.length())
                        ? server.substring(KAFKA_SCHEME.length())
                        : server)
                .map(server -> server.endsWith("/") ? server.substring(0, server.length() - 1) : server)
                .collect(Collectors.joining(","));
    }

    /** Why the guide's settings, as {@code setting} finds them, cannot be used, if they cannot. */
    static Optional<String> problem(Function<String, String> setting) {
        String type = setting.apply(TYPE);
        if (type != null && !type.isBlank() && !type.trim().equalsIgnoreCase("kafka")) {
            return Optional.of(TYPE + "=" + type.trim() + " is not supported: the control plane's events go through Kafka;"
                    + " set " + TYPE + "=kafka (or leave it unset) and point " + URL + " or KAFKA_BOOTSTRAP_SERVERS at the brokers");
        }
        String url = setting.apply(URL);
        if (url != null && !url.isBlank()) {
            for (String server : url.split(",")) {
                String scheme = scheme(server.trim());
                if (scheme != null && !scheme.equals("kafka")) {
                    return Optional.of(URL + "=" + url.trim() + " is not a Kafka address: give host:port or kafka://host:port"
                            + " (comma-separated for several brokers), not a " + scheme + ":// URL");
                }
            }
        }
        return Optional.empty();
    }

    private static String scheme(String server) {
        int at = server.indexOf("://");
        if (at <= 0) {
            return null;
        }
        try {
            String scheme = URI.create(server).getScheme();
            return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return server.substring(0, at).toLowerCase(Locale.ROOT);
        }
    }
}
