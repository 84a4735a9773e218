package io.dotmac.workflow.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sizes of context data as JSON, counted without writing it, and templates whose results are bounded. */
class DataSizeTest {

    @Test
    void countsWhatJsonWouldHold() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1, "xy"));
        value.put("b", new BigDecimal("12.50"));
        // {"a":[1,"xy"],"b":12.50}: close enough to the 26 bytes written
        long size = DataSize.upTo(value, 1000);
        assertTrue(size >= 20 && size <= 32, () -> "counted " + size);
    }

    @Test
    void aValueSharedEverywhereStopsCountingAtTheLimit() {
        Object doubling = "x".repeat(100);
        for (int i = 0; i < 60; i++) {
            doubling = List.of(doubling, doubling);
        }
        // 2^60 copies in JSON; counting stops just past the limit.
        assertTrue(DataSize.upTo(doubling, 1 << 20) > 1 << 20);
    }

    @Test
    void nestingDeeperThanJsonAllowsCountsAsTooLarge() {
        Object deep = "x";
        for (int i = 0; i < DataSize.MAX_DEPTH + 5; i++) {
            deep = List.of(deep);
        }
        assertTrue(DataSize.upTo(deep, 1 << 20) > 1 << 20);
    }

    @Test
    void templatesNeverBuildTextPastTheirLimit() {
        Object doubling = "x".repeat(100);
        for (int i = 0; i < 60; i++) {
            doubling = List.of(doubling, doubling);
        }
        Map<String, Object> context = Map.of("a", doubling);
        Templates.TooLargeException text = assertThrows(Templates.TooLargeException.class,
                () -> Templates.resolve("value: ${a}", context, 1 << 16));
        assertTrue(text.getMessage().contains("workflow.limits.max-template-result"), text.getMessage());
        assertThrows(Templates.TooLargeException.class, () -> Templates.resolve(Map.of("v", "${a}"), context, 1 << 16));
        assertEquals(Map.of("v", "ok 1"), Templates.resolve(Map.of("v", "ok ${n}"), Map.of("n", 1), 100));
    }
}
