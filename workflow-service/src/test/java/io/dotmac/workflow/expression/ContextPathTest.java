package io.dotmac.workflow.expression;

import static io.dotmac.workflow.expression.Contexts.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextPathTest {

    private static Map<String, Object> context() {
        List<Object> items = new ArrayList<>(List.of(map("code", "A1"), map("code", "B2")));
        return map(
                "quote", map("id", 7, "status", "accepted", "items", items,
                        "total", new BigDecimal("1200.00"), "note", null),
                "matrix", List.of(List.of(1, 2), List.of(3, 4)),
                "lead_id", "L-1");
    }

    @Test
    void parsesTextAndRoot() {
        ContextPath path = ContextPath.parse("quote.items[0].code");

        assertEquals("quote.items[0].code", path.text());
        assertEquals("quote.items[0].code", path.toString());
        assertEquals("quote", path.root());
        assertEquals("order-x_1", ContextPath.parse("order-x_1.lines[12]").root());
        assertEquals(ContextPath.parse("a.b[0][1]"), ContextPath.parse("a.b[0][1]"));
    }

    @Test
    void resolvesTopLevelAndNestedMapKeys() {
        assertEquals("L-1", ContextPath.parse("lead_id").resolve(context()));
        assertEquals("accepted", ContextPath.parse("quote.status").resolve(context()));
        assertEquals(new BigDecimal("1200.00"), ContextPath.parse("quote.total").resolve(context()));
    }

    @Test
    void resolvesListIndexesIncludingNestedLists() {
        Map<String, Object> context = context();

        assertEquals("B2", ContextPath.parse("quote.items[1].code").resolve(context));
        assertEquals(3, ContextPath.parse("matrix[1][0]").resolve(context));
        assertSame(((Map<?, ?>) context.get("quote")).get("items"), ContextPath.parse("quote.items").resolve(context));
    }

    @Test
    void presentKeyWithNullValueResolvesToNull() {
        assertNull(ContextPath.parse("quote.note").resolve(context()));
    }

    @Test
    void indexOutOfRangeNamesPathAndList() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> ContextPath.parse("quote.items[3].code").resolve(context()));

        assertEquals("${quote.items[3].code}: 'items' has 2 elements, no index 3", e.getMessage());
        assertEquals("quote.items[3].code", e.path());
    }

    @Test
    void missingKeyListsTheKeysThatExist() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> ContextPath.parse("quote.total_amount").resolve(context()));

        assertEquals("${quote.total_amount}: 'quote' has no key 'total_amount' (keys: id, status, items, total, note)",
                e.getMessage());
    }

    @Test
    void missingRootListsContextKeys() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> ContextPath.parse("lead.id").resolve(map("a", 1, "b", 2)));

        assertEquals("${lead.id}: not in the context (keys: a, b)", e.getMessage());
        assertEquals("lead.id", e.path());
    }

    @Test
    void emptyContextSaysSo() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> ContextPath.parse("lead_id").resolve(map()));

        assertEquals("${lead_id}: not in the context (keys: none)", e.getMessage());
    }

    @Test
    void longKeyListsAreCutShort() {
        Map<String, Object> context = new LinkedHashMap<>();
        for (int i = 0; i < 25; i++) {
            context.put("k" + i, i);
        }

        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> ContextPath.parse("missing").resolve(context));

        assertEquals("${missing}: not in the context (keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, "
                + "k12, k13, k14, k15, k16, k17, k18, k19, ... 5 more)", e.getMessage());
    }

    @Test
    void steppingThroughWrongShapesIsExplained() {
        Map<String, Object> context = context();

        assertEquals("${quote.status[0]}: 'status' is a string, so it has no index 0",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("quote.status[0]").resolve(context)).getMessage());
        assertEquals("${quote.items.code}: 'items' is a list, not an object, so it has no key 'code'",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("quote.items.code").resolve(context)).getMessage());
        assertEquals("${quote[0]}: 'quote' is an object, not a list, so it has no index 0",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("quote[0]").resolve(context)).getMessage());
        assertEquals("${quote.note.text}: 'note' is null, so it has no key 'text'",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("quote.note.text").resolve(context)).getMessage());
        assertEquals("${matrix[0][5]}: 'matrix[0]' has 2 elements, no index 5",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("matrix[0][5]").resolve(context)).getMessage());
        assertEquals("${quote.id.x}: 'id' is a number, so it has no key 'x'",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("quote.id.x").resolve(context)).getMessage());
    }

    @Test
    void singleElementListUsesSingular() {
        Map<String, Object> context = map("list", Arrays.asList("only"));

        assertEquals("${list[1]}: 'list' has 1 element, no index 1",
                assertThrows(UnresolvedPathException.class,
                        () -> ContextPath.parse("list[1]").resolve(context)).getMessage());
    }

    @Test
    void parseErrorsSayWhatAndWhere() {
        assertParseError(null, "path is empty");
        assertParseError("", "path is empty");
        assertParseError("a..b", "bad path 'a..b': empty name at offset 2");
        assertParseError(".a", "bad path '.a': empty name at offset 0");
        assertParseError("a.", "bad path 'a.': empty name at offset 2");
        assertParseError("a[x]", "bad path 'a[x]': bad index 'x' at offset 1 (an index is a non-negative whole number)");
        assertParseError("a[-1]", "bad path 'a[-1]': bad index '-1' at offset 1 (an index is a non-negative whole number)");
        assertParseError("a[99999999999]", "bad path 'a[99999999999]': bad index '99999999999' at offset 1 (too large)");
        assertParseError("a[]", "bad path 'a[]': empty index at offset 1");
        assertParseError("a[0", "bad path 'a[0': '[' at offset 1 is not closed");
        assertParseError("a b", "bad path 'a b': character ' ' at offset 1 is not allowed in a name "
                + "(allowed: A-Z, a-z, 0-9, '_' and '-')");
        assertParseError("quote.$x", "bad path 'quote.$x': character '$' at offset 6 is not allowed in a name "
                + "(allowed: A-Z, a-z, 0-9, '_' and '-')");
        assertParseError("[0].a", "bad path '[0].a': must start with a name, not an index");
        assertParseError("a[0]b", "bad path 'a[0]b': unexpected character 'b' at offset 4 "
                + "(expected '.', '[' or the end of the path)");
    }

    private static void assertParseError(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContextPath.parse(text));
        assertEquals(message, e.getMessage());
    }
}
