package io.dotmac.workflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The first values of each tag pass as themselves, later new ones are "other", however many threads ask. */
class BoundedTagsTest {

    @Test
    void theFirstValuesOfEachTagPassAndLaterNewOnesAreOther() {
        BoundedTags tags = new BoundedTags(2);
        assertEquals("a", tags.fold("workflow", "a"));
        assertEquals("b", tags.fold("workflow", "b"));
        assertEquals("other", tags.fold("workflow", "c"));
        assertEquals("a", tags.fold("workflow", "a"), "a kept value stays itself");
        assertEquals("c", tags.fold("step", "c"), "each tag has its own bound");
    }

    @Test
    void concurrentNewValuesNeverPassTheBound() {
        BoundedTags tags = new BoundedTags(50);
        Set<String> passed = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 10_000).parallel().forEach(i -> passed.add(tags.fold("workflow", "w" + (i % 1000))));
        assertEquals(51, passed.size(), "50 values and other: " + passed.size());
    }
}
