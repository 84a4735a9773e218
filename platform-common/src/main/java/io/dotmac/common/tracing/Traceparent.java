package io.dotmac.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trace context as W3C Trace Context writes it ({@code 00-<trace id>-<span id>-<flags>}), the
 * form it travels in between the services where OpenTelemetry's own propagation does not reach:
 * an outbox row to its CloudEvent ({@code traceparent} extension), an event to the execution it
 * starts. Text from outside (an event's header) is taken only in that exact form.
 */
public final class Traceparent {

    /** The CloudEvents Distributed Tracing extension: an event's traceparent. */
    public static final String CLOUD_EVENT_EXTENSION = "traceparent";

    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private Traceparent() {
    }

    /** The current span's context, if there is a valid one. */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    public static String of(SpanContext span) {
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }

    /** The context a W3C traceparent names, as a remote parent; empty for anything else (ids of zeros included). */
    public static Optional<SpanContext> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var match = FORMAT.matcher(text.trim());
        if (!match.matches()) {
            return Optional.empty();
        }
        SpanContext span = SpanContext.createFromRemoteParent(match.group(1), match.group(2),
                TraceFlags.fromHex(match.group(3), 0), TraceState.getDefault());
        return span.isValid() ? Optional.of(span) : Optional.empty();
    }

    /** A context whose parent is the traceparent's span (none: the root, a new trace). */
    public static Context parentContext(String text) {
        return parse(text).map(span -> Context.root().with(Span.wrap(span))).orElse(Context.root());
    }

    /** The text if it is a valid traceparent, else null. */
    public static String valid(String text) {
        return parse(text).map(Traceparent::of).orElse(null);
    }
}
