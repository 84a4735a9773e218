package io.dotmac.workflow.expression;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the ordered, null-tolerant maps that execution contexts are made of, for the tests. */
final class Contexts {

    private Contexts() {
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
