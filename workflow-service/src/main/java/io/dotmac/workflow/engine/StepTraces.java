package io.dotmac.workflow.engine;

import io.dotmac.common.tracing.Traceparent;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.StepRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.UUID;

/**
 * The spans of a journey through the engine, so that it is one trace with what started it (the
 * API call, or the event, whose traceparent came with it) and what its steps call: an execution
 * keeps its start's trace context, and every step that runs, on whichever replica, days apart, is
 * a short span of its own under it (a wait is many short checks, not one endless span). While a
 * step runs, its span is the current context of the execution's Vert.x context, so the REST
 * clients' spans and traceparent headers carry it to the services it calls.
 */
@ApplicationScoped
public class StepTraces {

    private final Tracer tracer;

    StepTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The trace an execution starts in: a span of its start, a child of {@code parent} (the event's
     * or the API call's traceparent), else of nothing: a new trace. Never the current context, which
     * may be another execution's (a group commit completes on the context of whichever started it).
     */
    public String start(UUID execution, String workflow, String tenant, String triggerType, String parent) {
        Span span = tracer.spanBuilder("start " + workflow).setParent(Traceparent.parentContext(parent)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("workflow.name", workflow)
                .setAttribute("workflow.execution_id", execution.toString())
                .setAttribute("workflow.trigger_type", triggerType)
                .setAttribute("tenant.id", tenant == null ? "" : tenant)
                .startSpan();
        span.end();
        return Traceparent.of(span.getSpanContext());
    }

    /** The trace id of the execution's trace, null if it has none. */
    static String traceId(ExecutionState s) {
        return Traceparent.parse(s.traceparent).map(span -> span.getTraceId()).orElse(null);
    }

    /** A step's run: its span, current on the execution's context until {@link Run#end}; its trace id on the record. */
    Run step(ExecutionState s, StepDefinition step, StepRecord record) {
        Span span = tracer.spanBuilder(s.definition.name() + "/" + step.name()).setParent(Traceparent.parentContext(s.traceparent))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("workflow.name", s.definition.name())
                .setAttribute("workflow.execution_id", s.id.toString())
                .setAttribute("workflow.step", step.name())
                .setAttribute("workflow.step_type", step.type())
                .setAttribute("workflow.run_number", s.runNumber)
                .setAttribute("tenant.id", s.tenantId == null ? "" : s.tenantId)
                .startSpan();
        if (span.getSpanContext().isValid()) {
            record.traceId = span.getSpanContext().getTraceId();
        }
        // Quarkus keeps the current context in the Vert.x duplicated context's locals: the execution's own.
        return new Run(span, Context.root().with(span).makeCurrent());
    }

    /** A step's span while it runs. */
    record Run(Span span, Scope scope) {

        /** A failure's words in the span, bounded: they go to the collector. */
        private static final int MAX_STATUS = 300;

        void end(StepOutcome outcome, Throwable failure, boolean cancelled) {
            scope.close();
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            } else if (outcome instanceof StepOutcome.Failed failed) {
                span.setStatus(StatusCode.ERROR, failed.error() == null ? null
                        : failed.error().substring(0, Math.min(failed.error().length(), MAX_STATUS)));
            } else if (outcome != null) {
                span.setAttribute("workflow.step.outcome", outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT));
            }
            span.end();
        }
    }
}
