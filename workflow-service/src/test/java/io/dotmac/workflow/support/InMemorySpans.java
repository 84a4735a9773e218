package io.dotmac.workflow.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Spans the tests read back: a SpanExporter bean takes the OTLP exporter's place in every test of
 * the module (nothing is sent anywhere); only sampled spans reach it, none outside a profile that samples.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
