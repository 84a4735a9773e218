package io.dotmac.workflow.expression;

import static io.dotmac.workflow.expression.Contexts.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpressionEngineTest {

    private final ExpressionEngine engine = new ExpressionEngine();

    private static Map<String, Object> context() {
        List<Object> items = new ArrayList<>(List.of(map("code", "A1"), map("code", "B2")));
        return map(
                "quote", map("status", "accepted", "total_amount", new BigDecimal("1200.00"), "items", items,
                        "note", null, "tags", List.of()),
                "lead", map("score", 5, "email", ""));
    }

    private boolean test(String source) {
        return engine.compile(source).test(context());
    }

    private Object evaluate(String source) {
        return engine.compile(source).evaluate(context());
    }

    @Test
    void mapPropertiesComparisonsAndLogic() {
        assertTrue(test("quote.status == 'accepted' && lead.score > 3"));
        assertFalse(test("quote.status == 'accepted' && lead.score > 7"));
        assertTrue(test("quote.status != 'sent' || lead.score < 1"));
        assertFalse(test("!(quote.status == 'accepted')"));
        assertTrue(test("quote.note == null"));
    }

    @Test
    void listIndexingSizeAndEmpty() {
        assertEquals("B2", evaluate("quote.items[1].code"));
        assertTrue(test("quote.items[0].code == 'A1'"));
        assertTrue(test("size(quote.items) == 2"));
        assertTrue(test("empty(quote.tags)"));
        assertTrue(test("empty(lead.email)"));
        assertFalse(test("empty(quote.items)"));
    }

    @Test
    void membershipInListLiteral() {
        assertTrue(test("quote.status =~ ['accepted', 'sent']"));
        assertFalse(test("quote.status =~ ['draft', 'sent']"));
        assertTrue(test("quote.status !~ ['draft', 'sent']"));
    }

    @Test
    void bigDecimalComparesWithIntegers() {
        assertTrue(test("quote.total_amount > 100"));
        assertFalse(test("quote.total_amount < 100"));
        assertTrue(test("quote.total_amount == 1200"));
    }

    @Test
    void decimalArithmeticIsExact() {
        assertTrue(test("quote.total_amount * 3 == 3600"));
        assertEquals(new BigDecimal("3600.00"), evaluate("quote.total_amount * 3"));
        assertEquals(new BigDecimal("1200.10"), evaluate("quote.total_amount + 0.1"));
    }

    @Test
    void stringConcatenation() {
        assertEquals("ab", evaluate("'a' + 'b'"));
        assertEquals("status: accepted", evaluate("'status: ' + quote.status"));
    }

    @Test
    void rootsAreTheTopLevelVariablesRead() {
        CompiledExpression expression = engine.compile("quote.status == 'accepted' && lead.score > 3");

        assertEquals(Set.of("quote", "lead"), expression.roots());
        assertEquals(List.of("quote", "lead"), new ArrayList<>(expression.roots()));
        assertEquals(Set.of(), engine.compile("'a' + 'b' == 'ab'").roots());
        assertEquals("quote.status == 'accepted' && lead.score > 3", expression.source());
    }

    @Test
    void compiledExpressionIsReusableAcrossContexts() {
        CompiledExpression expression = engine.compile("quote.items[1].code == 'B2'");

        assertTrue(expression.test(context()));
        Map<String, Object> shorter = map("quote", map("items", List.of(map("code", "A1"))));
        ExpressionException e = assertThrows(ExpressionException.class, () -> expression.test(shorter));
        assertEquals("expression 'quote.items[1].code == 'B2'' failed at 1:13: undefined property '1'", e.getMessage());
    }

    @Test
    void undefinedVariableIsAnErrorNamingIt() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> test("order.total > 5"));

        assertTrue(e.getMessage().startsWith("expression 'order.total > 5' failed (not in the context: order)"),
                e.getMessage());
        ExpressionException plain = assertThrows(ExpressionException.class, () -> test("approved"));
        assertEquals("expression 'approved' failed (not in the context: approved) at 1:1: variable 'approved' is undefined",
                plain.getMessage());
    }

    @Test
    void missingMapKeyIsAnErrorNotNull() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> test("quote.stauts == 'accepted'"));

        assertEquals("expression 'quote.stauts == 'accepted'' failed at 1:14: undefined property 'stauts'", e.getMessage());
        assertEquals("fallback", evaluate("quote.stauts ?? 'fallback'"));
    }

    @Test
    void onlyContextDataIsReachable() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> evaluate("quote.status.class"));
        assertEquals("expression 'quote.status.class' failed at 1:18: undefined property 'class'", e.getMessage());
        assertThrows(ExpressionException.class, () -> evaluate("quote.status.bytes"));
        assertThrows(ExpressionException.class, () -> evaluate("quote['class']"));
    }

    @Test
    void syntaxErrorQuotesSourceAndPosition() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> engine.compile("quote.status == "));

        assertTrue(e.getMessage().startsWith("expression 'quote.status == ' is not valid at 1:"), e.getMessage());
        assertTrue(e.getMessage().contains("parsing error"), e.getMessage());
    }

    @Test
    void blankSourceIsRejected() {
        assertEquals("expression '  ' is blank",
                assertThrows(ExpressionException.class, () -> engine.compile("  ")).getMessage());
        assertEquals("expression is missing (null)",
                assertThrows(ExpressionException.class, () -> engine.compile(null)).getMessage());
    }

    @Test
    void forbiddenConstructsAreRejectedAtCompileTime() {
        assertRejected("while (true) {}", "expression 'while (true) {}' is not valid at 1:1: parsing error in 'while'");
        assertRejected("x = 1",
                "expression 'x = 1' uses a construct that is not allowed at 1:1: global assign/modify error in 'x'");
        assertRejected("quote.status += 'x'",
                "expression 'quote.status += 'x'' uses a construct that is not allowed at 1:1: global assign/modify error in 'quote...'");
        assertRejected("new('java.io.File', '/')",
                "expression 'new('java.io.File', '/')' uses a construct that is not allowed at 1:1: create instance error in 'new(..., ...)'");
        assertRejected("quote.getClass()",
                "expression 'quote.getClass()' uses a construct that is not allowed at 1:6: method call error in '.getClass(...)'");
        assertRejected("quote.items.size() > 1",
                "expression 'quote.items.size() > 1' uses a construct that is not allowed at 1:12: method call error in '.'size'(...)'");
        assertRejected("function(x) { x }",
                "expression 'function(x) { x }' uses a construct that is not allowed at 1:10: local variable error in 'function(x) { x }'");
        assertRejected("var a = 1; a", "expression 'var a = 1; a' is not valid at 1:1: parsing error in 'var'");
        assertRejected("1; 2", "expression '1; 2' is not valid at 1:2: parsing error in ';'");
        assertRejected("`${quote.status}`", "expression '`${quote.status}`' uses a construct that is not allowed at offset 0: "
                + "backquoted template strings are not supported, use 'text' + value");
    }

    @Test
    void backquoteInsideStringLiteralIsFine() {
        assertEquals("a`b", evaluate("'a`b'"));
    }

    @Test
    void testRequiresABoolean() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> test("quote.status"));
        assertEquals("expression 'quote.status' yielded String accepted, not true or false", e.getMessage());

        ExpressionException nul = assertThrows(ExpressionException.class, () -> test("quote.note"));
        assertEquals("expression 'quote.note' yielded null, not true or false", nul.getMessage());

        ExpressionException number = assertThrows(ExpressionException.class, () -> test("quote.total_amount"));
        assertEquals("expression 'quote.total_amount' yielded BigDecimal 1200.00, not true or false", number.getMessage());
    }

    @Test
    void evaluationErrorsKeepJexlDetail() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> evaluate("quote.total_amount > 'abc'"));

        assertTrue(e.getMessage().startsWith("expression 'quote.total_amount > 'abc'' failed at 1:"), e.getMessage());
        assertTrue(e.getMessage().contains("1200.00 > abc"), e.getMessage());
    }

    @Test
    void contextIsNotModified() {
        Map<String, Object> context = context();
        Map<String, Object> before = context();

        engine.compile("quote.status == 'accepted' && size(quote.items) == 2").test(context);

        assertEquals(before, context);
    }

    private void assertRejected(String source, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> engine.compile(source));
        assertEquals(message, e.getMessage());
    }
}
