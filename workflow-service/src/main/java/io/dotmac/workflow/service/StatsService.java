package io.dotmac.workflow.service;

import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.workflow.rest.Stats;
import io.dotmac.workflow.stats.FunnelStages;
import io.dotmac.workflow.stats.Histogram;
import io.dotmac.workflow.stats.StatsQueries;
import io.dotmac.workflow.stats.StatsQueries.Count;
import io.dotmac.workflow.stats.StatsRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The overview's figures for one tenant, from {@link StatsQueries}: counts summed, percentiles from histograms. */
@ApplicationScoped
public class StatsService {

    /** Steps listed at most: the slowest or most failing are what an operator looks for. */
    static final int MAX_STEPS = 50;

    private final StatsQueries queries;

    StatsService(StatsQueries queries) {
        this.queries = queries;
    }

    public Uni<Stats.Funnel> funnel(String tenant, String rangeLabel) {
        StatsRange range = range(rangeLabel);
        StatsQueries.Window window = range.window(OffsetDateTime.now());
        return queries.counts(tenant, "stage", window).chain(counts -> queries.durations(tenant, "stage", window).map(durations -> {
            Map<String, Long> reached = totals(counts, Count::subject);
            Map<String, Histogram> fromPrevious = histograms(durations, StatsQueries.Bucketed::subject);
            List<Stats.Stage> stages = new ArrayList<>();
            Long previous = null;
            for (String stage : FunnelStages.STAGES) {
                long n = reached.getOrDefault(stage, 0L);
                Histogram times = fromPrevious.get(stage);
                stages.add(new Stats.Stage(stage, n, previous == null || previous == 0 ? null : (double) n / previous,
                        times == null ? null : times.percentile(0.5)));
                previous = n;
            }
            for (String stage : FunnelStages.LIFECYCLE) {
                stages.add(new Stats.Stage(stage, reached.getOrDefault(stage, 0L), null, null));
            }
            return new Stats.Funnel(range.label(), window.from(), window.to(), stages);
        }));
    }

    public Uni<Stats.Executions> executions(String tenant, String rangeLabel) {
        StatsRange range = range(rangeLabel);
        StatsQueries.Window window = range.window(OffsetDateTime.now());
        return queries.counts(tenant, "execution", window).chain(counts -> queries.waitingByWorkflow(tenant).map(waiting -> {
            Map<String, Long> waitingNow = totals(waiting, Count::subject);
            Map<String, Map<OffsetDateTime, long[]>> byWorkflow = new TreeMap<>();
            waitingNow.keySet().forEach(workflow -> byWorkflow.put(workflow, new TreeMap<>()));
            for (Count count : counts) {
                int metric = List.of("started", "completed", "failed", "cancelled").indexOf(count.metric());
                if (metric >= 0) {
                    byWorkflow.computeIfAbsent(count.subject(), workflow -> new TreeMap<>())
                            .computeIfAbsent(count.time().toInstant().atOffset(window.to().getOffset()), time -> new long[4])[metric] += count.n();
                }
            }
            List<Stats.WorkflowExecutions> workflows = new ArrayList<>();
            byWorkflow.forEach((workflow, series) -> {
                long[] sum = new long[4];
                List<Stats.Point> points = new ArrayList<>();
                series.forEach((time, n) -> {
                    points.add(new Stats.Point(time, n[0], n[1], n[2], n[3]));
                    for (int i = 0; i < 4; i++) {
                        sum[i] += n[i];
                    }
                });
                workflows.add(new Stats.WorkflowExecutions(workflow, sum[0], sum[1], sum[2], sum[3],
                        waitingNow.getOrDefault(workflow, 0L), points));
            });
            return new Stats.Executions(range.label(), window.from(), window.to(), window.bin().toSeconds(), workflows);
        }));
    }

    public Uni<Stats.Steps> steps(String tenant, String rangeLabel, String sortLabel) {
        StatsRange range = range(rangeLabel);
        String sort = sortLabel == null || sortLabel.isBlank() ? "slowest" : sortLabel;
        if (!sort.equals("slowest") && !sort.equals("failing")) {
            throw new InvalidRequest("sort: one of slowest, failing");
        }
        StatsQueries.Window window = range.window(OffsetDateTime.now());
        return queries.counts(tenant, "step", window).chain(counts -> queries.durations(tenant, "step", window).map(durations -> {
            Map<String, long[]> figures = new HashMap<>();
            for (Count count : counts) {
                int metric = List.of("runs", "failed", "retries").indexOf(count.metric());
                if (metric >= 0) {
                    figures.computeIfAbsent(stepKey(count.subject(), count.detail()), key -> new long[3])[metric] += count.n();
                }
            }
            Map<String, Histogram> times = histograms(durations, bucketed -> stepKey(bucketed.subject(), bucketed.detail()));
            Comparator<Stats.StepFigures> order = sort.equals("slowest")
                    ? Comparator.comparing(Stats.StepFigures::p95Ms, Comparator.nullsLast(Comparator.reverseOrder()))
                    : Comparator.comparingLong(Stats.StepFigures::failed).reversed()
                            .thenComparing(Comparator.comparingLong(Stats.StepFigures::retries).reversed());
            List<Stats.StepFigures> steps = figures.entrySet().stream().map(entry -> {
                String[] names = entry.getKey().split("\u0000", 2);
                Histogram histogram = Optional.ofNullable(times.get(entry.getKey())).orElseGet(Histogram::new);
                long[] n = entry.getValue();
                return new Stats.StepFigures(names[0], names[1], n[0], n[1], n[2], histogram.percentile(0.5), histogram.percentile(0.95));
            }).sorted(order.thenComparing(Stats.StepFigures::workflow).thenComparing(Stats.StepFigures::step))
                    .limit(MAX_STEPS).toList();
            return new Stats.Steps(range.label(), window.from(), window.to(), sort, steps);
        }));
    }

    public Uni<Stats.Waiting> waiting(String tenant, int limit) {
        return queries.waitingByWorkflow(tenant).chain(byWorkflow -> queries.longestWaiting(tenant, limit)
                .chain(longest -> queries.pastDeadline(tenant, limit).map(overdue -> new Stats.Waiting(
                        byWorkflow.stream().mapToLong(Count::n).sum(), waitingExecutions(longest), waitingExecutions(overdue)))));
    }

    public Uni<Stats.Events> events(String tenant, String rangeLabel) {
        StatsRange range = range(rangeLabel);
        StatsQueries.Window window = range.window(OffsetDateTime.now());
        return queries.counts(tenant, "event", window).chain(counts -> queries.durations(tenant, "event", window)
                .chain(durations -> queries.deferredByTopic(tenant).map(deferred -> {
                    Map<String, Long> received = totals(counts.stream().filter(c -> c.metric().equals("received")).toList(), Count::subject);
                    Map<String, Long> deadLettered = totals(counts.stream().filter(c -> c.metric().equals("dead_lettered")).toList(),
                            Count::subject);
                    Map<String, Long> deferredNow = totals(deferred, Count::subject);
                    Map<String, Histogram> lags = histograms(durations, StatsQueries.Bucketed::subject);
                    List<Stats.TopicFigures> topics = new ArrayList<>();
                    for (String topic : union(union(received.keySet(), deadLettered.keySet()), deferredNow.keySet())) {
                        Histogram lag = lags.getOrDefault(topic, new Histogram());
                        topics.add(new Stats.TopicFigures(topic, received.getOrDefault(topic, 0L),
                                deadLettered.getOrDefault(topic, 0L), deferredNow.getOrDefault(topic, 0L),
                                lag.percentile(0.5), lag.percentile(0.95)));
                    }
                    return new Stats.Events(range.label(), window.from(), window.to(), topics);
                })));
    }

    private static StatsRange range(String label) {
        if (label == null || label.isBlank()) {
            return StatsRange.DAY;
        }
        return StatsRange.of(label).orElseThrow(() -> new InvalidRequest("range: one of " + StatsRange.NAMES));
    }

    private static String stepKey(String workflow, String step) {
        return workflow + "\u0000" + step;
    }

    private static Map<String, Long> totals(List<Count> counts, Function<Count, String> key) {
        return counts.stream().collect(Collectors.groupingBy(key, Collectors.summingLong(Count::n)));
    }

    private static Map<String, Histogram> histograms(List<StatsQueries.Bucketed> buckets, Function<StatsQueries.Bucketed, String> key) {
        Map<String, Histogram> histograms = new HashMap<>();
        buckets.forEach(bucketed -> histograms.computeIfAbsent(key.apply(bucketed), k -> new Histogram()).add(bucketed.bucket(), bucketed.n()));
        return histograms;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Stats.WaitingExecution> waitingExecutions(List<StatsQueries.Waiting> waiting) {
        return waiting.stream().map(w -> new Stats.WaitingExecution(w.executionId(), w.workflow(), w.step(), w.since(), w.until())).toList();
    }
}
