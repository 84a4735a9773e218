package io.dotmac.licensing.license;

import java.util.List;

/**
 * The licenses bought with one source after a seat change: whether this request applied it
 * ({@code changed}) or found it, or a newer change of the source, applied before, and all of them,
 * with their keys.
 */
public record ChangedLicenses(String sourceId, String changeId, int sequence, boolean changed, List<License> licenses) {
}
