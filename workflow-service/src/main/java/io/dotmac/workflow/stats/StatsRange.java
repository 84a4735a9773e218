package io.dotmac.workflow.stats;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ranges the overview offers, each with the width of its bins. The last hour is read from the
 * tables, from an hour ago; the others from the start (UTC) of their first hour, so that the
 * hourly rollups serve them.
 */
public enum StatsRange {
    HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(5)),
    DAY("24h", Duration.ofDays(1), Duration.ofHours(1)),
    WEEK("7d", Duration.ofDays(7), Duration.ofHours(6)),
    MONTH("30d", Duration.ofDays(30), Duration.ofDays(1));

    public static final String NAMES = Arrays.stream(values()).map(StatsRange::label).collect(Collectors.joining(", "));

    private final String label;
    private final Duration length;
    private final Duration bin;

    StatsRange(String label, Duration length, Duration bin) {
        this.label = label;
        this.length = length;
        this.bin = bin;
    }

    public String label() {
        return label;
    }

    public static Optional<StatsRange> of(String label) {
        return Arrays.stream(values()).filter(range -> range.label.equals(label)).findFirst();
    }

    /** The window that ends now. */
    public StatsQueries.Window window(OffsetDateTime now) {
        OffsetDateTime to = now.withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime from = to.minus(length);
        return new StatsQueries.Window(this == HOUR ? from : from.truncatedTo(ChronoUnit.HOURS), to, bin);
    }
}
