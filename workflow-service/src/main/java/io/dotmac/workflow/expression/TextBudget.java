package io.dotmac.workflow.expression;

/** What a template's result may still grow by, as JSON bytes. */
final class TextBudget {

    private final long max;
    private long left;

    TextBudget(long max) {
        this.max = max;
        this.left = max;
    }

    long left() {
        return Math.max(0, left);
    }

    void spend(long bytes) {
        left -= bytes;
        if (left < 0) {
            throw new Templates.TooLargeException("the result of a template would be larger than " + max
                    + " bytes (workflow.limits.max-template-result)");
        }
    }
}
