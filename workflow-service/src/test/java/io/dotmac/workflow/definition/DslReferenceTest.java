package io.dotmac.workflow.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.expression.CompiledExpression;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionLimits;
import io.dotmac.workflow.expression.ExpressionException;
import io.dotmac.workflow.expression.Templates;
import io.dotmac.workflow.expression.UnresolvedPathException;
import io.dotmac.workflow.steps.StepTypes;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/workflow-dsl.md} true: every example in it goes through the code it describes.
 * <ul>
 * <li>{@code ```json workflow}: a whole definition, validated as {@code POST /api/v1/workflows} stores
 *     it (the real parser, the real service registry) and as the engine reads it back;
 * <li>{@code ```json invalid} followed by {@code ```text errors}: rejected with exactly those problems;
 * <li>{@code ```json templates} / {@code ```json expressions}: {@code ${...}} resolution and condition
 *     expressions against a context, with the documented result or error;
 * <li>the service catalogue table: exactly the registry's operations and parameters.
 * </ul>
 * Every step type the parser knows must have a section with an example of it, so a new step type
 * fails here until it is documented.
 */
public class DslReferenceTest {

    /** Relative to the module directory, where Maven runs the tests. */
    private static final Path DOC = Path.of("..", "docs", "workflow-dsl.md");

    private static final Pattern FENCE = Pattern.compile("^```(.*)$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /**
     * The document's results, not their speed: the first evaluation in a cold JVM on a busy machine
     * took longer than the default 100 ms budget (seen while another build ran).
     */
    private static final ExpressionEngine EXPRESSIONS = new ExpressionEngine(new ExpressionLimits(ExpressionLimits.DEFAULTS.maxLength(),
            Duration.ofSeconds(10), ExpressionLimits.DEFAULTS.maxStringLength(), ExpressionLimits.DEFAULTS.maxRegexSize(),
            ExpressionLimits.DEFAULTS.maxRegexInput()));

    private static ServiceRegistry registry;
    private static DefinitionParser parser;
    private static List<Block> blocks;
    private static List<String> lines;

    /** A fenced block: its info words ({@code json workflow}), text, first line number and the headings above it. */
    private record Block(List<String> info, String text, int line, String section, String subsection) {

        boolean is(String language, String kind) {
            return info.size() >= 2 && info.get(0).equals(language) && info.get(1).equals(kind);
        }

        String where() {
            return DOC + ":" + line + " (" + (subsection != null ? subsection : section) + ")";
        }
    }

    @BeforeAll
    static void readTheDocument() throws IOException, ReflectiveOperationException {
        assertTrue(Files.isRegularFile(DOC), "the DSL reference is missing: " + DOC.toAbsolutePath().normalize());
        lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        blocks = blocks(lines);
        registry = registry();
        parser = new DefinitionParser(registry, EXPRESSIONS);
    }

    /**
     * The real registry, as the API validates with it. Its REST clients are never called while
     * validating, so stand-ins that refuse every call take their place and no Quarkus is needed.
     */
    public static ServiceRegistry registry() throws ReflectiveOperationException {
        Constructor<?> constructor = ServiceRegistry.class.getConstructors()[0];
        Object[] clients = Arrays.stream(constructor.getParameterTypes())
                .map(type -> Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                        (proxy, method, args) -> {
                            throw new UnsupportedOperationException("validation never calls a service: " + method);
                        }))
                .toArray();
        return (ServiceRegistry) constructor.newInstance(clients);
    }

    private static List<Block> blocks(List<String> lines) {
        List<Block> found = new ArrayList<>();
        String section = null;
        String subsection = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                int level = heading.group(1).length();
                if (level <= 2) {
                    section = heading.group(2).trim();
                    subsection = null;
                } else if (level == 3) {
                    subsection = heading.group(2).trim();
                }
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                continue;
            }
            List<String> info = Arrays.stream(fence.group(1).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            int start = i + 1;
            StringBuilder text = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).startsWith("```")) {
                text.append(lines.get(i)).append('\n');
                i++;
            }
            if (i == lines.size()) {
                fail(DOC + ":" + start + ": code block is not closed");
            }
            found.add(new Block(info, text.toString(), start, section, subsection));
        }
        return found;
    }

    private static List<Block> blocksOf(String language, String kind) {
        return blocks.stream().filter(block -> block.is(language, kind)).toList();
    }

    private static JsonNode json(Block block) {
        try {
            return JsonCodec.readTree(block.text());
        } catch (RuntimeException e) {
            throw new AssertionError(block.where() + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * As {@code DefinitionService.create} stores a definition (parse, then write it with what the
     * parser filled in) and as {@code WorkflowRepository} reads it back for every start (parse the
     * stored text again); the stored text read and written again is the same text.
     */
    static WorkflowDefinition store(DefinitionParser parser, JsonNode json) {
        WorkflowDefinition parsed = parser.parse(json);
        String stored = JsonCodec.write(parser.filledIn(parsed));
        WorkflowDefinition reread = parser.parse(JsonCodec.readTree(stored));
        assertEquals(parsed, reread, "the stored text reads back as the same definition:\n" + stored);
        assertEquals(stored, JsonCodec.write(parser.filledIn(reread)), "the stored text is written again as it was");
        return parsed;
    }

    private static WorkflowDefinition store(JsonNode json) {
        return store(parser, json);
    }

    // ---- definitions

    /** So that no example escapes the checks below: a block of another kind is a mistake in the document. */
    @Test
    void everyCodeBlockIsOfAKindThatIsChecked() {
        List<String> kinds = List.of("json workflow", "json invalid", "json templates", "json expressions", "text errors");
        List<String> unchecked = blocks.stream()
                .filter(block -> !kinds.contains(String.join(" ", block.info())))
                .map(block -> block.where() + ": ```" + String.join(" ", block.info()))
                .toList();
        assertTrue(unchecked.isEmpty(), "code blocks that no test checks (use one of " + kinds + "):\n"
                + String.join("\n", unchecked));
    }

    @Test
    void everyWorkflowExampleIsAValidDefinition() {
        List<Block> examples = blocksOf("json", "workflow");
        assertFalse(examples.isEmpty(), "no ```json workflow examples in " + DOC);
        List<String> problems = new ArrayList<>();
        for (Block block : examples) {
            try {
                store(json(block));
            } catch (InvalidDefinitionException e) {
                problems.add(block.where() + ": " + e.errors().stream().map(ValidationError::toString)
                        .collect(Collectors.joining("\n    ", "\n    ", "")));
            }
        }
        assertTrue(problems.isEmpty(), "invalid examples:\n" + String.join("\n", problems));
    }

    @Test
    void everyStepTypeHasASectionWithAnExampleOfIt() {
        List<String> missing = new ArrayList<>();
        for (StepType<?> type : StepTypes.ALL) {
            String heading = "`" + type.name() + "`";
            boolean documented = blocksOf("json", "workflow").stream()
                    .filter(block -> block.subsection() != null && block.subsection().startsWith(heading))
                    .map(block -> store(json(block)))
                    .anyMatch(definition -> definition.steps().stream().anyMatch(step -> step.type().equals(type.name())));
            if (!documented) {
                missing.add(type.name());
            }
        }
        assertTrue(missing.isEmpty(), "step types without a '### `type`' section holding a ```json workflow example"
                + " that uses them: " + missing);
    }

    @Test
    void everyInvalidExampleIsRejectedWithTheDocumentedErrors() {
        List<Block> invalid = blocksOf("json", "invalid");
        assertFalse(invalid.isEmpty(), "no ```json invalid examples in " + DOC);
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (!block.is("json", "invalid")) {
                continue;
            }
            int next = i + 1;
            assertTrue(next < blocks.size() && blocks.get(next).is("text", "errors"),
                    block.where() + ": a ```json invalid example must be followed by a ```text errors block");
            List<String> expected = blocks.get(next).text().lines().filter(line -> !line.isBlank()).toList();
            try {
                store(json(block));
                fail(block.where() + ": the parser accepts this example, but the document says it is rejected");
            } catch (InvalidDefinitionException e) {
                assertEquals(expected, e.errors().stream().map(ValidationError::toString).toList(),
                        block.where() + ": the parser's errors differ from the document's");
            }
        }
    }

    // ---- templates and expressions

    @Test
    void templateExamplesResolveAsDocumented() {
        List<Block> examples = blocksOf("json", "templates");
        assertFalse(examples.isEmpty(), "no ```json templates examples in " + DOC);
        for (Block block : examples) {
            Map<String, Object> json = plain(block);
            Map<String, Object> context = map(json.get("context"), block);
            for (Object item : list(json.get("cases"), block)) {
                Map<String, Object> example = map(item, block);
                Object template = example.get("template");
                String label = block.where() + ": template " + JsonCodec.write(template);
                if (example.containsKey("error")) {
                    try {
                        Object resolved = Templates.resolve(template, context);
                        fail(label + " resolves to " + JsonCodec.write(resolved) + ", but the document says it fails");
                    } catch (UnresolvedPathException | IllegalArgumentException e) {
                        assertEquals(example.get("error"), e.getMessage(), label);
                    }
                } else {
                    assertEquals(JsonCodec.write(example.get("result")), JsonCodec.write(Templates.resolve(template, context)),
                            label);
                }
            }
        }
    }

    @Test
    void expressionExamplesEvaluateAsDocumented() {
        List<Block> examples = blocksOf("json", "expressions");
        assertFalse(examples.isEmpty(), "no ```json expressions examples in " + DOC);
        for (Block block : examples) {
            Map<String, Object> json = plain(block);
            Map<String, Object> context = map(json.get("context"), block);
            for (Object item : list(json.get("cases"), block)) {
                Map<String, Object> example = map(item, block);
                String source = (String) example.get("expression");
                String label = block.where() + ": expression " + source;
                if (example.containsKey("error")) {
                    // As a condition step or a guard uses it: compiled when stored, then tested when it runs.
                    try {
                        CompiledExpression compiled = EXPRESSIONS.compile(source);
                        boolean value = compiled.test(context);
                        fail(label + " is " + value + ", but the document says it fails");
                    } catch (ExpressionException e) {
                        assertEquals(example.get("error"), e.getMessage(), label);
                    }
                } else {
                    assertEquals(JsonCodec.write(example.get("result")),
                            JsonCodec.write(EXPRESSIONS.compile(source).evaluate(context)), label);
                }
            }
        }
    }

    /**
     * The block as the plain values an execution context holds: read like a start request's context,
     * so decimals keep their scale ({@code 1200.00} stays {@code 1200.00}). Results are compared as
     * the JSON the engine would store, so type, scale and order all count.
     */
    private static Map<String, Object> plain(Block block) {
        try {
            return JsonCodec.readMap(block.text());
        } catch (RuntimeException e) {
            throw new AssertionError(block.where() + ": not a JSON object: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, Block block) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new AssertionError(block.where() + ": expected an object, got " + JsonCodec.write(value));
    }

    private static List<?> list(Object value, Block block) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new AssertionError(block.where() + ": expected a list, got " + JsonCodec.write(value));
    }

    // ---- reference tables

    @Test
    void serviceCatalogueIsTheRegistrys() {
        Map<String, String> documented = new TreeMap<>();
        for (String row : tableRows("Service catalogue")) {
            String[] cells = row.split("\\|", -1);
            // | service | method | required | optional | changes state | HTTP |
            assertTrue(cells.length >= 7, "catalogue row has too few columns: " + row);
            String key = names(cells[1]) + "." + names(cells[2]);
            String spec = "required " + names(cells[3]) + ", optional " + names(cells[4]) + ", mutating "
                    + cells[5].trim();
            assertTrue(documented.put(key, spec) == null, "operation listed twice: " + key);
        }
        Map<String, String> actual = new TreeMap<>();
        for (String service : registry.services()) {
            for (String method : registry.methods(service)) {
                OperationSpec op = registry.operation(service, method).orElseThrow();
                actual.put(service + "." + method, "required " + String.join(", ", new TreeSet<>(op.requiredParams()))
                        + ", optional " + String.join(", ", new TreeSet<>(op.optionalParams())) + ", mutating "
                        + (op.mutating() ? "yes" : "no"));
            }
        }
        assertEquals(actual, documented, "the service catalogue table differs from ServiceRegistry");
    }

    @Test
    void everyEventIsDocumented() {
        String text = String.join("\n", lines);
        for (String event : Trigger.EVENTS) {
            assertTrue(text.contains("`" + event + "`"), "event " + event + " is not mentioned in " + DOC);
        }
    }

    /** The data rows of the first table in the section whose heading starts with {@code heading}. */
    private static List<String> tableRows(String heading) {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        boolean inTable = false;
        for (String line : lines) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                if (inTable) {
                    break;
                }
                inSection = h.group(2).trim().startsWith(heading);
                continue;
            }
            if (inSection && line.startsWith("|")) {
                inTable = true;
                if (!line.matches("^\\|[\\s\\-:|]+\\|\\s*$")) {
                    rows.add(line);
                }
            } else if (inTable) {
                break;
            }
        }
        assertTrue(rows.size() > 1, "no table under '" + heading + "' in " + DOC);
        // The first row is the header.
        return rows.subList(1, rows.size());
    }

    /** The `code` names in a table cell, sorted and comma-separated ("" for none). */
    private static String names(String cell) {
        Set<String> names = new TreeSet<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            names.add(code.group(1));
        }
        return String.join(", ", names);
    }
}
