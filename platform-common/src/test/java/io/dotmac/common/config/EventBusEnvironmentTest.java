package io.dotmac.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guide's EVENT_BUS_TYPE and EVENT_BUS_URL, read as a start reads them (from any config source). */
class EventBusEnvironmentTest {

    private static Map<String, String> kafka(Map<String, String> settings) {
        return EventBusEnvironment.properties(settings::get);
    }

    @Test
    void theGuidesUrlIsTheBootstrapServersWhenKafkasOwnIsUnset() {
        assertEquals(Map.of("kafka.bootstrap.servers", "broker-1:9092,broker-2:9092"), kafka(Map.of(
                "EVENT_BUS_TYPE", "kafka", "EVENT_BUS_URL", "kafka://broker-1:9092, KAFKA://broker-2:9092/")));
        assertEquals(Map.of("kafka.bootstrap.servers", "localhost:9092"), kafka(Map.of("EVENT_BUS_URL", "localhost:9092")));
        assertEquals(Map.of("kafka.bootstrap.servers", "localhost:9092"),
                kafka(Map.of("EVENT_BUS_URL", "localhost:9092", "KAFKA_BOOTSTRAP_SERVERS", " ")), "a blank setting is unset");
    }

    @Test
    void kafkasOwnSettingWins() {
        assertEquals(Map.of(), kafka(Map.of("EVENT_BUS_URL", "kafka://elsewhere:9092", "KAFKA_BOOTSTRAP_SERVERS", "here:9092")));
        assertTrue(EventBusEnvironment.ORDINAL < 300, "below the environment's ordinal");
    }

    @Test
    void anotherBusIsRefusedNamingTheSupportedOne() {
        Map<String, String> guide = Map.of("EVENT_BUS_TYPE", "redis", "EVENT_BUS_URL", "redis://localhost:6379/0");
        Optional<String> problem = EventBusEnvironment.problem(guide::get);

        assertTrue(problem.orElseThrow().startsWith("EVENT_BUS_TYPE=redis is not supported"), problem.get());
        assertTrue(problem.get().contains("EVENT_BUS_TYPE=kafka"), problem.get());
        assertEquals(Map.of(), kafka(Map.of("EVENT_BUS_TYPE", "redis", "EVENT_BUS_URL", "x:1")), "nothing taken from a refused setting");
    }

    @Test
    void aUrlOfAnotherSchemeIsRefusedEvenWithoutAType() {
        Map<String, String> url = Map.of("EVENT_BUS_URL", "redis://localhost:6379/0");
        assertEquals(Optional.of("EVENT_BUS_URL=redis://localhost:6379/0 is not a Kafka address: give host:port or"
                        + " kafka://host:port (comma-separated for several brokers), not a redis:// URL"),
                EventBusEnvironment.problem(url::get));
        Map<String, String> kafka = Map.of("EVENT_BUS_TYPE", " Kafka ");
        assertEquals(Optional.empty(), EventBusEnvironment.problem(kafka::get));
        assertEquals(Optional.empty(), EventBusEnvironment.problem(name -> null));
    }
}
