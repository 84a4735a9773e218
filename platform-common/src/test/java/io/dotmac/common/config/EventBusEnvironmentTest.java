package io.dotmac.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guide's EVENT_BUS_TYPE and EVENT_BUS_URL, read as a start would read them. */
class EventBusEnvironmentTest {

    @Test
    void theGuidesUrlIsTheBootstrapServersWhenKafkasOwnIsUnset() {
        assertEquals("broker-1:9092,broker-2:9092", new EventBusEnvironment(Map.of(
                "EVENT_BUS_TYPE", "kafka", "EVENT_BUS_URL", "kafka://broker-1:9092, KAFKA://broker-2:9092/"))
                .getValue("kafka.bootstrap.servers"));
        assertEquals("localhost:9092", new EventBusEnvironment(Map.of("EVENT_BUS_URL", "localhost:9092"))
                .getValue("kafka.bootstrap.servers"));
    }

    @Test
    void kafkasOwnSettingWins() {
        EventBusEnvironment source = new EventBusEnvironment(Map.of(
                "EVENT_BUS_URL", "kafka://elsewhere:9092", "KAFKA_BOOTSTRAP_SERVERS", "here:9092"));

        assertNull(source.getValue("kafka.bootstrap.servers"));
        assertTrue(source.getPropertyNames().isEmpty());
        assertTrue(source.getOrdinal() < 300, "below the environment's ordinal");
    }

    @Test
    void anotherBusIsRefusedNamingTheSupportedOne() {
        Optional<String> problem = EventBusEnvironment.problem(Map.of("EVENT_BUS_TYPE", "redis",
                "EVENT_BUS_URL", "redis://localhost:6379/0"));

        assertTrue(problem.orElseThrow().startsWith("EVENT_BUS_TYPE=redis is not supported"), problem.get());
        assertTrue(problem.get().contains("EVENT_BUS_TYPE=kafka"), problem.get());
        assertNull(new EventBusEnvironment(Map.of("EVENT_BUS_TYPE", "redis", "EVENT_BUS_URL", "x:1"))
                .getValue("kafka.bootstrap.servers"), "nothing taken from a refused setting");
    }

    @Test
    void aUrlOfAnotherSchemeIsRefusedEvenWithoutAType() {
        assertEquals(Optional.of("EVENT_BUS_URL=redis://localhost:6379/0 is not a Kafka address: give host:port or"
                        + " kafka://host:port (comma-separated for several brokers), not a redis:// URL"),
                EventBusEnvironment.problem(Map.of("EVENT_BUS_URL", "redis://localhost:6379/0")));
        assertEquals(Optional.empty(), EventBusEnvironment.problem(Map.of("EVENT_BUS_TYPE", " Kafka ")));
        assertEquals(Optional.empty(), EventBusEnvironment.problem(Map.of()));
    }
}
