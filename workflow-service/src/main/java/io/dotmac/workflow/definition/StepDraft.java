package io.dotmac.workflow.definition;

import static io.dotmac.workflow.definition.JsonFields.decimal;
import static io.dotmac.workflow.definition.JsonFields.describe;
import static io.dotmac.workflow.definition.JsonFields.present;
import static io.dotmac.workflow.definition.JsonFields.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.definition.References.Reference;
import io.dotmac.workflow.expression.CompiledExpression;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One step as read so far: the fields every step has, what its type read ({@link Body}), what it
 * makes available and what it reads. A step type's reader records through it, so that the
 * references of every type are checked alike once the whole definition is read.
 */
public final class StepDraft {

    /** One year: longer than any wait a workflow should have, short enough to catch a unit mistake. */
    private static final long MAX_SECONDS = 31_536_000L;
    private static final long MAX_ATTEMPTS = 20;
    private static final BigDecimal DEFAULT_BACKOFF_SECONDS = BigDecimal.ONE;
    private static final BigDecimal DEFAULT_MULTIPLIER = BigDecimal.valueOf(2);
    private static final BigDecimal DEFAULT_MAX_BACKOFF_SECONDS = BigDecimal.valueOf(60);
    private static final List<String> RETRY_FIELDS = List.of("max_attempts", "backoff_seconds", "multiplier", "max_backoff_seconds");

    /** What a step type read of a step's own fields; it makes the step once the definition is known to be valid. */
    public interface Body {

        StepDefinition build(StepDraft step);

        /** Steps the step adds after itself, as JSON, read like the definition's own. */
        default List<JsonNode> stepsAfter(StepDraft step, JsonNode definitionSteps, Map<String, Integer> taken) {
            return List.of();
        }

        /** Fills in what the step infers from the steps before it, once every step is read. */
        default void inferFrom(StepDraft step, List<StepDraft> before) {
        }

        /**
         * The kind of data ({@link Conventions#result()}, such as {@code quote}) a call of the step
         * stores under {@code key}; empty when it stores none there or its operation names none.
         */
        default Optional<String> kindStoredAs(String key) {
            return Optional.empty();
        }
    }

    final Place at;
    final String label;
    final List<Reference> references = new ArrayList<>();
    final List<Reference> compensateReferences = new ArrayList<>();
    final Set<String> provides = new LinkedHashSet<>();
    /** The key the step fetches before its expressions see the context (a condition's refresh); null: none. */
    String refreshed;
    private final ServiceCatalog catalog;
    private final ExpressionEngine expressions;
    String name;
    StepType<?> type;
    boolean critical;
    String when;
    Compensation compensate;
    Body body;

    StepDraft(Place at, String label, ServiceCatalog catalog, ExpressionEngine expressions) {
        this.at = at;
        this.label = label;
        this.catalog = catalog;
        this.expressions = expressions;
    }

    public Place at() {
        return at;
    }

    /** How messages about other steps name this one. */
    public String label() {
        return label;
    }

    /** Null when the name has problems. */
    public String name() {
        return name;
    }

    public boolean critical() {
        return critical;
    }

    public String when() {
        return when;
    }

    public Compensation compensate() {
        return compensate;
    }

    /** What the step's type read; null when it is not an object, its type is unknown, or its type could read nothing usable. */
    public Body body() {
        return body;
    }

    public ServiceCatalog catalog() {
        return catalog;
    }

    /** The step puts {@code key} into the context. */
    public void provides(String key) {
        provides.add(key);
    }

    /** The step fetches {@code key} before its expressions read it: their references to it are its own. */
    public void refreshesFirst(String key) {
        refreshed = key;
        provides.add(key);
    }

    /** The context keys the step's {@code field} reads. */
    public Set<String> reads(String field) {
        return references.stream().filter(ref -> ref.field().equals(field)).map(Reference::root)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The last of {@code steps} that provides {@code key}; null if none does. */
    public static StepDraft lastProvider(List<StepDraft> steps, String key) {
        for (int j = steps.size() - 1; j >= 0; j--) {
            if (steps.get(j).provides.contains(key)) {
                return steps.get(j);
            }
        }
        return null;
    }

    /** The expression source in {@code field} if present, compiled to check it; its root variables are read by the step. */
    public String expression(JsonNode parent, String field, boolean seesOwnRefresh) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            at.error(field, "must be an expression string (got " + describe(node) + ")");
            return null;
        }
        String source = node.textValue();
        if (source.isBlank()) {
            at.error(field, "must not be empty");
            return source;
        }
        try {
            CompiledExpression compiled = expressions.compile(source);
            for (String root : new TreeSet<>(compiled.roots())) {
                references.add(new Reference(at, field, null, root, seesOwnRefresh));
            }
        } catch (ExpressionException e) {
            // The message quotes the expression and says what is wrong with it.
            at.error(field, e.getMessage());
        }
        return source;
    }

    /** The {@code ${path}} templates in {@code value}, read by the step; located at {@code path} under {@code where}. */
    public void templates(Place where, String path, Object value) {
        References.templates(where, path, value, references);
    }

    /** Like {@link #templates}, resolved after the step's own refresh. */
    public void templatesAfterRefresh(Place where, String path, Object value) {
        References.templates(where, path, value, true, references);
    }

    /** The call in {@code node}, or null if it has problems ({@link CallReader}). */
    public ServiceCall call(Place where, JsonNode node, String resultKey, boolean readOnly) {
        return CallReader.call(catalog, where, node, resultKey, readOnly, references);
    }

    /** The {@code result} key in {@code node}; {@code fallback} when absent, and required when there is none. */
    public String resultKey(Place where, JsonNode node, String fallback) {
        return CallReader.resultKey(where, node, fallback);
    }

    public Duration timeout(JsonNode node) {
        Long seconds = wholeNumber(at, node, "timeout_seconds", 1, MAX_SECONDS);
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    /** The retry policy in {@code node}; null when absent (the engine's default applies) or wrong. */
    public static RetryPolicy retry(Place at, JsonNode node) {
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            at.error("retry", "must be an object with max_attempts and optionally backoff_seconds, multiplier, "
                    + "max_backoff_seconds (got " + describe(node) + ")");
            return null;
        }
        Place in = at.within("retry");
        int before = in.found();
        JsonFields.unknownFields(in, node, RETRY_FIELDS);
        if (!present(node.get("max_attempts"))) {
            in.error("max_attempts", "required: a whole number between 1 and " + MAX_ATTEMPTS);
        }
        Long attempts = wholeNumber(in, node, "max_attempts", 1, MAX_ATTEMPTS);
        BigDecimal backoff = decimal(in, node, "backoff_seconds", BigDecimal.ZERO, MAX_SECONDS, DEFAULT_BACKOFF_SECONDS);
        BigDecimal multiplier = decimal(in, node, "multiplier", BigDecimal.ONE, MAX_SECONDS, DEFAULT_MULTIPLIER);
        // The default ceiling rises with a long initial backoff rather than contradicting it.
        BigDecimal maxBackoff = decimal(in, node, "max_backoff_seconds", BigDecimal.ZERO, MAX_SECONDS,
                backoff == null ? DEFAULT_MAX_BACKOFF_SECONDS : backoff.max(DEFAULT_MAX_BACKOFF_SECONDS));
        if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            in.error("max_backoff_seconds", "must be at least backoff_seconds (" + backoff.toPlainString() + ")");
        }
        if (in.found() != before) {
            return null;
        }
        return new RetryPolicy(attempts.intValue(), seconds(backoff), multiplier.doubleValue(), seconds(maxBackoff));
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** Only called once the whole definition is known to be valid. */
    StepDefinition build() {
        return body.build(this);
    }
}
