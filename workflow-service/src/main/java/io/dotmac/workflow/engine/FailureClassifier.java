package io.dotmac.workflow.engine;

import io.dotmac.workflow.expression.ExpressionException;
import io.dotmac.workflow.expression.UnresolvedPathException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The one table of which failures are worth retrying: timeouts, refused connections, 5xx, 408 and
 * 429 are transient, and so is an expression out of its time budget; any other 4xx, and errors in
 * the definition's own templates and expressions, will fail the same way again.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static StepOutcome.Failed classify(Throwable e) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            boolean retryable = status >= 500 || status == 408 || status == 429;
            return new StepOutcome.Failed("HTTP " + status + describe(web.getResponse()), retryable);
        }
        if (e instanceof ExpressionException expression && expression.outOfTime()) {
            return new StepOutcome.Failed(e.getMessage(), true);
        }
        if (e instanceof UnresolvedPathException || e instanceof ExpressionException || e instanceof IllegalArgumentException) {
            return new StepOutcome.Failed(e.getMessage(), false);
        }
        // Transport trouble: the request may not have arrived, and the Idempotency-Key makes resending safe.
        if (e instanceof ProcessingException || e instanceof TimeoutException || e instanceof IOException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new StepOutcome.Failed(root.getClass().getSimpleName() + ": " + root.getMessage(), true);
        }
        return new StepOutcome.Failed(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
    }

    private static String describe(Response response) {
        try {
            String body = response.hasEntity() ? response.readEntity(String.class) : null;
            return body == null || body.isBlank() ? "" : ": " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
