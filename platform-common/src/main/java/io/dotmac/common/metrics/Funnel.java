package io.dotmac.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The sales funnel on {@code /q/metrics}: each service counts the stage it owns as
 * {@code controlplane_funnel_total{stage=...}} when the change that reaches it is recorded (crm:
 * lead, quote, accepted; billing: paid; licensing: licensed; sales: active), so that summing the
 * series across services gives lead → quote → accepted → paid → licensed → active. A subscription
 * goes on from there (billing: renewed for each renewal paid, past_due for each invoice whose
 * payment failed, churned when it ends; sales: suspended for each customer tenant suspended for an
 * unpaid invoice). A replayed request or webhook does not count again: its work does not run.
 */
@ApplicationScoped
public class Funnel {

    public enum Stage {
        LEAD, QUOTE, ACCEPTED, PAID, LICENSED, ACTIVE, RENEWED, PAST_DUE, SUSPENDED, CHURNED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    Funnel(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reached(Stage stage) {
        Counter.builder("controlplane.funnel")
                .description("Customers' journeys that reached a stage of the funnel")
                .tag("stage", stage.label())
                .register(registry)
                .increment();
    }
}
