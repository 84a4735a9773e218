package io.dotmac.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTopicsTest {

    @Test
    void aPrefixNamespacesTheTopicOnTheBrokerAndComesOffAgainForTheEvent() {
        EventTopics topics = new EventTopics(Optional.of("e2e."));
        assertEquals("e2e.crm.quote.accepted", topics.onBroker("crm.quote.accepted"));
        assertEquals("crm.quote.accepted", topics.ofRecord("e2e.crm.quote.accepted"));
    }

    @Test
    void withoutAPrefixTheTopicIsTheEventsName() {
        EventTopics topics = new EventTopics(Optional.empty());
        assertEquals("crm.quote.accepted", topics.onBroker("crm.quote.accepted"));
        assertEquals("crm.quote.accepted", topics.ofRecord("crm.quote.accepted"));
    }

    @Test
    void aPrefixThatCannotStartATopicNameIsRefusedWithTheReason() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new EventTopics(Optional.of("my suite/")));
        assertTrue(refused.getMessage().contains("controlplane.kafka.topic-prefix=my suite/"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> new EventTopics(Optional.of("x".repeat(65))));
    }
}
