package io.dotmac.workflow.definition;

import static io.dotmac.workflow.HostileInputs.cases;
import static io.dotmac.workflow.HostileInputs.gen;
import static io.dotmac.workflow.HostileInputs.withinTime;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.workflow.HostileInputs;
import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.expression.ExpressionEngine;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Property tests (issue 16) of the definition parser against generated definitions, mostly close to
 * valid (real services and methods, steps that read what earlier steps provide) with random fields
 * wrong, missing or junk, and against cron strings and raw JSON junk. Whatever the JSON, the parser
 * returns a definition or throws {@link InvalidDefinitionException}, within {@link #LIVENESS}.
 *
 * <p>The seed is new on every run and printed with a falsified case; rerun it with
 * {@code -DQT_SEED=<seed>}.
 */
class DefinitionParserPropertiesTest {

    private static final Duration LIVENESS = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServiceRegistry registry;
    private static DefinitionParser parser;

    /** A definition's JSON text. */
    record DefinitionCase(String json) {
    }

    @BeforeAll
    static void realRegistry() throws ReflectiveOperationException {
        registry = DslReferenceTest.registry();
        parser = new DefinitionParser(registry, new ExpressionEngine());
    }

    private static Gen<DefinitionCase> definitions() {
        return gen(d -> new DefinitionCase(write(HostileInputs.definition(d, registry, false))));
    }

    @Test
    void aGeneratedDefinitionIsParsedOrRejectedAsInvalid() {
        cases(1000).forAll(definitions()).checkAssert(c -> parses(c.json()));
    }

    /** Enough generated definitions are valid (about half are drawn without deliberate mistakes) to reach the end of the parser. */
    @Test
    void aFairShareOfTheGeneratedDefinitionsIsValid() {
        int[] counts = {0, 0};
        cases(300).forAll(definitions()).checkAssert(c -> {
            counts[0]++;
            try {
                parser.parse(JsonCodec.readTree(c.json()));
                counts[1]++;
            } catch (InvalidDefinitionException e) {
                // one with a mistake
            }
        });
        assertTrue(counts[1] * 5 >= counts[0], () -> "only " + counts[1] + " of " + counts[0]
                + " generated definitions were valid: the generator no longer reaches the end of the parser");
    }

    @Test
    void aScheduleWithAnyCronIsParsedOrRejectedAsInvalid() {
        cases(1000)
                .forAll(gen(d -> new DefinitionCase(write(Map.of("name", "cron_fuzz", "version", "1.0.0",
                        "schedule", Map.of("cron", HostileInputs.cron(d), "context", Map.of()),
                        "steps", List.of(Map.of("name", "t", "type", "transform", "set", Map.of("k", 1))))))))
                .checkAssert(c -> parses(c.json()));
    }

    /** Any JSON value where a definition, a step or a field belongs. */
    @Test
    void junkIsRejectedAsInvalid() {
        cases(1000)
                .forAll(gen(d -> {
                    Object junk = HostileInputs.junk(d);
                    return new DefinitionCase(write(switch (d.between(0, 2)) {
                        case 0 -> junk;
                        case 1 -> Map.of("name", "junk", "version", "1.0.0", "steps", List.of(junk == null ? "null" : junk));
                        default -> {
                            Map<String, Object> step = new LinkedHashMap<>(Map.of("name", "j", "type",
                                    d.pick(List.of("service_call", "condition", "transform"))));
                            step.put(d.pick(List.of("set", "condition", "when", "service", "method", "params", "retry",
                                    "refresh", "wake_on", "error", "compensate", "timeout_seconds", "critical", "result")), junk);
                            yield Map.of("name", "junk", "version", "1.0.0", "steps", List.of(step));
                        }
                    }));
                }))
                .checkAssert(c -> parses(c.json()));
    }

    /** JSON text that Jackson reads but that no writer of ours would produce. */
    @Test
    void oddJsonTextIsParsedOrRejectedAsInvalid() {
        String shell = "{\"name\": \"odd\", \"version\": \"1.0.0\", \"inputs\": [\"n\"], \"steps\": [%s]}";
        List<String> steps = List.of(
                "{\"name\": \"r\", \"type\": \"service_call\", \"service\": \"crm_service\", \"method\": \"get_lead\","
                        + " \"params\": {\"lead_id\": \"${n}\"}, \"retry\": {\"max_attempts\": %s, \"backoff_seconds\": %s,"
                        + " \"multiplier\": %s, \"max_backoff_seconds\": %s}, \"timeout_seconds\": %s}",
                "{\"name\": \"c\", \"type\": \"condition\", \"condition\": \"n > 1\", \"timeout_seconds\": %s}");
        List<String> numbers = List.of("1", "1e400", "-1e400", "1e-400", "1e-1000", "123456789012345678901234567890", "1.0",
                "0.0000000001", "-0", "-0.0", "31536000.0000000001", "2e9", "9223372036854775808", "1E+2147483647",
                "1E-2147483647", "0e999999999", "0E-999999999", "1" + "0".repeat(999)).stream()
                .toList();
        for (String a : numbers) {
            for (String b : List.of("1", "1e-30", "1e400", "0", "-0.0")) {
                parses(shell.formatted(steps.get(0).formatted("3", a, b, "60", "5")));
                parses(shell.formatted(steps.get(0).formatted(a, "1", "2", b, a)));
            }
            parses(shell.formatted(steps.get(1).formatted(a)));
        }
        parses("{\"name\": \"dup\", \"name\": 5, \"version\": \"1.0.0\", \"steps\": [], \"steps\": [{\"name\": \"t\","
                + " \"type\": \"transform\", \"set\": {\"k\": 1, \"k\": \"${k}\"}}]}");
        parses(shell.formatted("{\"name\": \"t\", \"type\": \"transform\", \"set\": {\"k\": "
                + "[".repeat(900) + "\"${n}\"" + "]".repeat(900) + "}}"));
    }

    /**
     * Found by these properties (issue 16), now fixed: DefinitionParser.seconds turns a
     * backoff into nanoseconds with {@code movePointRight(9).setScale(0, HALF_UP)}, which computes ten
     * to the power of the scale. For {@code "backoff_seconds": 1E-2147483647} (or the same as
     * {@code max_backoff_seconds} beside {@code "backoff_seconds": 0}) it throws
     * {@code ArithmeticException: BigInteger would overflow supported range} out of parse (at
     * BigInteger.pow ← BigDecimal.bigTenToThe ← BigDecimal.setScale ← DefinitionParser.seconds(654) ←
     * retry(650) ← serviceCallStep(444) ← step(367) ← steps(336) ← parse(105)); for {@code 1e-1000000}
     * parsing takes 0.7 s, for {@code 1e-3000000} 1.2 s, for {@code 1e-100000000} more than 100 s, on the
     * thread that stores the definition. The JSON number is 12 characters: Jackson's number-length limit
     * does not stop it. Over HTTP (HostileInputApiTest): POST
     * /api/v1/workflows answers 500 for 1E-2147483647, and 1e-3000000 held an event loop 2.3 s.
     */
    @Test
    void regressionATinyBackoffOverflowsOrTakesMinutes() {
        String definition = "{\"name\": \"r\", \"version\": \"1.0.0\", \"steps\": [{\"name\": \"r\", \"type\": \"service_call\","
                + " \"service\": \"crm_service\", \"method\": \"get_lead\", \"params\": {\"lead_id\": \"x\"},"
                + " \"retry\": {\"max_attempts\": 3, \"backoff_seconds\": %s}}]}";
        parses(definition.formatted("1E-2147483647"));
        parses(definition.formatted("1e-100000000"));
    }

    /**
     * Found by these properties (issue 16), now fixed: cron-utils 9.2.1's FieldParser throws
     * ArrayIndexOutOfBoundsException for a field that ends in '#' or in a range followed by '/', and
     * DefinitionParser.schedule catches only IllegalArgumentException from Schedule.PARSER.parse:
     * {@code "0 0 0 ? * 6#"} (at FieldParser.parseOnWithHash(179) ← parseOn(157) ←
     * noSpecialCharsNorStar(134) ← parse(70) ← CronParserField.parse(89) ← CronParser.parse(161) ←
     * DefinitionParser.schedule(280) ← parse(104)), {@code "1-/ * * * * ?"} and {@code "1-5/ 0 0 0 0 0"}
     * (at FieldParser.parseBetween(146) ← dashSplitResult(89) ← parse(82) ← …). Over HTTP: POST
     * /api/v1/workflows answers 500 (problem+json) instead of 400.
     */
    @Test
    void regressionCronUtilsThrowsOutOfTheParser() {
        for (String cron : List.of("0 0 0 ? * 6#", "1-/ * * * * ?", "1-5/ 0 0 0 0 0")) {
            parses(write(Map.of("name", "cron_bug", "version", "1.0.0", "schedule", Map.of("cron", cron),
                    "steps", List.of(Map.of("name", "t", "type", "transform", "set", Map.of("k", 1))))));
        }
    }

    /**
     * The JEXL parser's stack overflow (ExpressionPropertiesTest.regressionDeepNesting…) escapes the definition
     * parser too. Over HTTP, where definitions are parsed on an event loop: POST /api/v1/workflows answers
     * 500 with {@code application/json} (not problem+json: ProblemExceptionMapper maps Exceptions, and a
     * StackOverflowError is an Error), a body of 84 KB with the stack trace in {@code details} (test profile).
     */
    @Test
    void regressionADeeplyNestedConditionOverflowsTheStack() {
        parses(write(Map.of("name", "deep", "version", "1.0.0", "inputs", List.of("n"), "steps", List.of(
                Map.of("name", "c", "type", "condition", "condition", "(".repeat(999) + "n" + ")".repeat(999))))));
    }

    /** Parses the JSON text (text Jackson cannot read is not the parser's to judge) and allows only InvalidDefinitionException. */
    private static void parses(String json) {
        JsonNode tree;
        try {
            tree = JsonCodec.readTree(json);
        } catch (UncheckedIOException e) {
            return;
        }
        withinTime(LIVENESS, () -> "definition " + HostileInputs.describe(json), () -> {
            try {
                parser.parse(tree);
            } catch (InvalidDefinitionException e) {
                // rejected, naming its problems: what the property allows
            }
        });
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
