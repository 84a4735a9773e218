package io.dotmac.workflow.quota;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Each tenant's limits: its override where configuration has one, the defaults otherwise. */
@ApplicationScoped
public class TenantQuotas {

    private final Limits defaults;
    private final Map<String, Limits> overridden;

    TenantQuotas(QuotaConfig config) {
        QuotaConfig.Defaults d = config.defaults();
        this.defaults = new Limits(d.maxInFlight(), d.startsPerSecond(), d.startBurst(), d.maxWaiting(), d.maxSchedules(),
                d.minScheduleInterval());
        this.overridden = config.tenant().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                entry -> merged(entry.getValue())));
    }

    public Limits of(String tenantId) {
        return tenantId == null ? defaults : overridden.getOrDefault(tenantId, defaults);
    }

    /** The limits of every tenant without an override. */
    public Limits defaults() {
        return defaults;
    }

    /** The tenants configuration gives limits of their own. */
    public java.util.Set<String> overridden() {
        return overridden.keySet();
    }

    private Limits merged(QuotaConfig.Override o) {
        return new Limits(o.maxInFlight().orElse(defaults.maxInFlight()), o.startsPerSecond().orElse(defaults.startsPerSecond()),
                o.startBurst().orElse(defaults.startBurst()), o.maxWaiting().orElse(defaults.maxWaiting()),
                o.maxSchedules().orElse(defaults.maxSchedules()), o.minScheduleInterval().orElse(defaults.minScheduleInterval()));
    }

    /** One tenant's limits, as {@link QuotaConfig} describes them. */
    public record Limits(int maxInFlight, int startsPerSecond, int startBurst, int maxWaiting, int maxSchedules,
                         Duration minScheduleInterval) {
    }
}
