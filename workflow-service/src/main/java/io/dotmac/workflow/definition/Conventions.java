package io.dotmac.workflow.definition;

import java.util.Map;

/**
 * What a step may leave out when it calls an operation, as the product's original guide writes its
 * workflows ({@code qualify_lead} with no {@code result}, {@code issue_license} with no
 * {@code source_id}, {@code process_payment} followed at once by {@code issue_license}), and what
 * the definition then gets in its place. The parser fills these in wherever it reads a definition,
 * so a stored definition keeps the text its author wrote and still checks like a complete one.
 *
 * @param result     the context key of the operation's result when a step names none
 *                   ({@code qualify_lead} → {@code lead}); also the kind of data it returns, which
 *                   a waiting condition refreshes with the reader of that kind; null: the step's name
 * @param defaults   parameter → template over the context, for a required parameter a step leaves out
 * @param changedBy  on a reader ({@code get_quote}), nullable: the event that says data of its kind
 *                   changed; {@code {result}} in its key stands for the context key of that data
 * @param awaitSteps nullable: on an operation whose outcome comes later (a payment the customer makes
 *                   on Stripe's page), the steps, as a JSON list, that wait for it after a step calls
 *                   it, unless the step sets {@code "await_outcome": false}; {@code {result}} stands
 *                   for the step's result key
 */
public record Conventions(String result, Map<String, String> defaults, WakeOn changedBy, String awaitSteps) {

    public static final Conventions NONE = new Conventions(null, Map.of(), null, null);

    /** The placeholder in {@link #changedBy} and {@link #awaitSteps} for the context key of the result. */
    public static final String RESULT = "{result}";

    public Conventions {
        defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
    }

    public static Conventions result(String result) {
        return new Conventions(result, Map.of(), null, null);
    }

    public Conventions withDefaults(Map<String, String> defaults) {
        return new Conventions(result, defaults, changedBy, awaitSteps);
    }

    public Conventions changedBy(String event, String key) {
        return new Conventions(result, defaults, new WakeOn(event, key), awaitSteps);
    }

    public Conventions awaiting(String steps) {
        return new Conventions(result, defaults, changedBy, steps);
    }
}
