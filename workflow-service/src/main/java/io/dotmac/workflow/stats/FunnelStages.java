package io.dotmac.workflow.stats;

import java.util.List;

/**
 * Where a customer's journey reaches each stage of the funnel lead → quote → accepted → paid →
 * licensed → active, as the engine records it: the step of a journey's workflow that completes
 * when the stage is reached. {@code lead_to_customer} walks a lead from the start;
 * {@code quote_accepted} (an operator's quote, or a shop's cart) starts at the accepted quote, whose
 * lead and quote it reached at once. A tenant's own version of these workflows counts as long as it
 * keeps the steps' names; {@code shop_checkout} counts through the {@code quote_accepted} it leads
 * to, so a purchase is counted once. A subscription goes on from there: each renewal paid, each
 * invoice dunned (past due), each suspension for one, each subscription ended (churned); these are
 * counted, not converted from the stage before.
 */
public final class FunnelStages {

    public static final List<String> STAGES = List.of("lead", "quote", "accepted", "paid", "licensed", "active");

    public static final List<String> LIFECYCLE = List.of("renewed", "past_due", "suspended", "churned");

    /** The position of a lifecycle stage: none before it to measure the time from. */
    private static final int COUNTED_ONLY = -1;

    /** A step of a workflow that completes when a journey reaches a stage (its position in {@link #STAGES}). */
    public record Mark(String workflow, String step, String stage, int position) {
    }

    public static final List<Mark> MARKS = List.of(
            new Mark("lead_to_customer", "qualify_lead", "lead", 0),
            new Mark("lead_to_customer", "generate_quote", "quote", 1),
            new Mark("lead_to_customer", "wait_for_quote_acceptance", "accepted", 2),
            new Mark("quote_accepted", "get_quote", "lead", 0),
            new Mark("quote_accepted", "get_quote", "quote", 1),
            new Mark("quote_accepted", "get_quote", "accepted", 2),
            new Mark("lead_to_customer", "payment_received", "paid", 3),
            new Mark("quote_accepted", "payment_received", "paid", 3),
            new Mark("lead_to_customer", "issue_license", "licensed", 4),
            new Mark("quote_accepted", "issue_license", "licensed", 4),
            new Mark("lead_to_customer", "activate_order", "active", 5),
            new Mark("quote_accepted", "activate_order", "active", 5),
            new Mark("subscription_renewed", "renew_licenses", "renewed", COUNTED_ONLY),
            new Mark("payment_failed", "get_invoice", "past_due", COUNTED_ONLY),
            new Mark("payment_failed", "suspend_customer", "suspended", COUNTED_ONLY),
            new Mark("subscription_cancelled", "subscription_ended", "churned", COUNTED_ONLY));

    private FunnelStages() {
    }
}
