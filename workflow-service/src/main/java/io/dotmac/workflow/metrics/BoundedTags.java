package io.dotmac.workflow.metrics;

import io.dotmac.workflow.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the tags that tenants name (workflow and step names) to a bounded number of values. Each
 * value is a time series in the registry and in Prometheus, and tenants store definitions under
 * any names they like: unfolded, one tenant could grow /q/metrics and the engine's memory without
 * end. Per tag, the first {@code workflow.metrics.max-tag-values} distinct values pass as
 * themselves (the built-ins, loaded at start, among them), each later new one as {@value #OTHER}.
 * Shared by every meter, so a workflow is itself or {@value #OTHER} in all of them alike.
 */
@ApplicationScoped
public class BoundedTags {

    public static final String OTHER = "other";

    private final int max;
    private final Map<String, Set<String>> kept = new ConcurrentHashMap<>();

    @Inject
    BoundedTags(EngineConfig config) {
        this(config.metrics().maxTagValues());
    }

    public BoundedTags(int max) {
        this.max = max;
    }

    /** The value to tag {@code tag} with: {@code value} if it is kept (or there is room to keep it), else {@value #OTHER}. */
    public String fold(String tag, String value) {
        Set<String> values = kept.computeIfAbsent(tag, name -> ConcurrentHashMap.newKeySet());
        if (values.contains(value)) {
            return value;
        }
        synchronized (values) {
            if (values.size() < max || values.contains(value)) {
                values.add(value);
                return value;
            }
            return OTHER;
        }
    }
}
