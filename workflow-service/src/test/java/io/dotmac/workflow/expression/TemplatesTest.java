package io.dotmac.workflow.expression;

import static io.dotmac.workflow.expression.Contexts.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static Map<String, Object> context() {
        List<Object> items = new ArrayList<>(List.of(map("code", "A1", "qty", 2), map("code", "B2", "qty", 1)));
        return map(
                "quote", map("number", 42, "total", new BigDecimal("1200.00"), "items", items,
                        "accepted", true, "big", new BigDecimal("1E+3"), "note", null,
                        "count", BigInteger.valueOf(12345678901234567L)),
                "lead_id", "L-9",
                "customer", map("name", "Ada \"A\" Lovelace", "tags", List.of("vip", "b2b")));
    }

    @Test
    void loneReferenceKeepsTheSameList() {
        Map<String, Object> context = context();

        Object resolved = Templates.resolve("${quote.items}", context);

        assertSame(((Map<?, ?>) context.get("quote")).get("items"), resolved);
    }

    @Test
    void loneReferenceKeepsBigDecimalExactly() {
        Object resolved = Templates.resolve("${quote.total}", context());

        assertEquals(BigDecimal.class, resolved.getClass());
        assertEquals(new BigDecimal("1200.00"), resolved);
        assertEquals(2, ((BigDecimal) resolved).scale());
    }

    @Test
    void loneReferenceKeepsOtherTypesAndNull() {
        assertEquals(42, Templates.resolve("${quote.number}", context()));
        assertEquals(Boolean.TRUE, Templates.resolve("${quote.accepted}", context()));
        assertNull(Templates.resolve("${quote.note}", context()));
    }

    @Test
    void surroundingWhitespaceMakesItText() {
        assertEquals(" 42", Templates.resolve(" ${quote.number}", context()));
    }

    @Test
    void embeddedReferencesAreInterpolated() {
        assertEquals("QUOTE-42", Templates.resolve("QUOTE-${quote.number}", context()));
        assertEquals("L-9/42/true", Templates.resolve("${lead_id}/${quote.number}/${quote.accepted}", context()));
        assertEquals("Total: 1200.00 EUR", Templates.resolve("Total: ${quote.total} EUR", context()));
        assertEquals("n=12345678901234567", Templates.resolve("n=${quote.count}", context()));
    }

    @Test
    void bigDecimalIsWrittenAsPlainString() {
        assertEquals("amount 1000", Templates.resolve("amount ${quote.big}", context()));
    }

    @Test
    void mapsAndListsAreWrittenAsCompactJson() {
        assertEquals("customer={\"name\":\"Ada \\\"A\\\" Lovelace\",\"tags\":[\"vip\",\"b2b\"]}",
                Templates.resolve("customer=${customer}", context()));
        assertEquals("items: [{\"code\":\"A1\",\"qty\":2},{\"code\":\"B2\",\"qty\":1}]",
                Templates.resolve("items: ${quote.items}", context()));
        Map<String, Object> context = map("data", map("amount", new BigDecimal("1E+2"), "none", null,
                "ok", false, "text", "line1\nline2\t\u0001"));
        assertEquals("data {\"amount\":100,\"none\":null,\"ok\":false,\"text\":\"line1\\nline2\\t\\u0001\"}",
                Templates.resolve("data ${data}", context));
    }

    @Test
    void nullInsideTextIsRejected() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> Templates.resolve("Note: ${quote.note}", context()));

        assertEquals("${quote.note} is null and cannot be put into text \"Note: ${quote.note}\"", e.getMessage());
        assertEquals("quote.note", e.path());
    }

    @Test
    void doubleDollarEscapesAPlaceholder() {
        assertEquals("${x}", Templates.resolve("$${x}", context()));
        assertEquals("literal ${quote.number} and 42", Templates.resolve("literal $${quote.number} and ${quote.number}",
                context()));
        assertEquals("costs $5 or $$5", Templates.resolve("costs $5 or $$5", context()));
    }

    @Test
    void resolvesNestedTreesKeepingOrderAndScalars() {
        Map<String, Object> template = map(
                "to", "${lead_id}",
                "subject", "Quote ${quote.number}",
                "lines", List.of("${quote.items[0].code}", map("qty", "${quote.items[1].qty}", "fixed", 3)),
                "flag", true,
                "nothing", null);

        Object resolved = Templates.resolve(template, context());

        Map<String, Object> expected = map(
                "to", "L-9",
                "subject", "Quote 42",
                "lines", List.of("A1", map("qty", 1, "fixed", 3)),
                "flag", true,
                "nothing", null);
        assertEquals(expected, resolved);
        assertEquals(List.of("to", "subject", "lines", "flag", "nothing"),
                new ArrayList<>(((Map<?, ?>) resolved).keySet()));
    }

    @Test
    void inputTreeIsNotMutated() {
        List<Object> lines = new ArrayList<>(List.of("${quote.number}"));
        Map<String, Object> template = map("subject", "Quote ${quote.number}", "lines", lines);
        Map<String, Object> copy = map("subject", "Quote ${quote.number}", "lines", List.of("${quote.number}"));

        Map<?, ?> resolved = (Map<?, ?>) Templates.resolve(template, context());

        assertEquals(copy, template);
        assertEquals(List.of(42), resolved.get("lines"));
        assertNotSame(template, resolved);
        assertNotSame(lines, resolved.get("lines"));
    }

    @Test
    void unresolvablePathPropagatesContextPathError() {
        UnresolvedPathException e = assertThrows(UnresolvedPathException.class,
                () -> Templates.resolve(map("a", List.of("x ${quote.items[5].code}")), context()));

        assertEquals("${quote.items[5].code}: 'items' has 2 elements, no index 5", e.getMessage());
    }

    @Test
    void referencesListsEveryPathInOrder() {
        Map<String, Object> template = map(
                "to", "${lead_id}",
                "body", List.of("Hi ${customer.name}, quote ${quote.number}", map("n", "${quote.items[0].code}")),
                "escaped", "$${not.a.reference}",
                "count", 3,
                "again", "${lead_id}");

        List<ContextPath> references = Templates.references(template);

        assertEquals(List.of("lead_id", "customer.name", "quote.number", "quote.items[0].code", "lead_id"),
                references.stream().map(ContextPath::text).toList());
        assertEquals(List.of(), Templates.references("no placeholders"));
        assertEquals(List.of(), Templates.references(42));
    }

    @Test
    void malformedTemplatesAreRejectedQuotingTheString() {
        assertMalformed("Hello ${name", "malformed template \"Hello ${name\": '${' at offset 6 has no closing '}'");
        assertMalformed("a ${} b", "malformed template \"a ${} b\": empty '${}' at offset 2");
        assertMalformed("x ${ quote.id }", "malformed template \"x ${ quote.id }\": in '${' at offset 2, bad path ' quote.id ': "
                + "character ' ' at offset 0 is not allowed in a name (allowed: A-Z, a-z, 0-9, '_' and '-')");
        assertMalformed("${a..b}", "malformed template \"${a..b}\": in '${' at offset 0, bad path 'a..b': empty name at offset 2");
    }

    @Test
    void resolveRejectsMalformedTemplatesToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Templates.resolve(List.of("ok", "bad ${"), context()));

        assertEquals("malformed template \"bad ${\": '${' at offset 4 has no closing '}'", e.getMessage());
    }

    private static void assertMalformed(String template, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Templates.references(map("param", List.of(template))));
        assertEquals(message, e.getMessage());
    }
}
