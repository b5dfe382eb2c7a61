package io.streammetrics.console;

import io.streammetrics.alert.Alert;
import io.streammetrics.alert.AlertJson;
import io.streammetrics.common.MetricType;
import io.streammetrics.dashboard.Dashboard;
import io.streammetrics.dashboard.DashboardData;
import io.streammetrics.dashboard.DashboardListener;
import io.streammetrics.dashboard.StageSummary;
import io.streammetrics.json.JsonWriter;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the console shows, kept in the process: the last {@code capacity} updates (one per {@link Dashboard} refresh,
 * 900 = 15 minutes at the default 1 s) of every stage's numbers, every timer family's {@link LatencyHeatmap} and
 * every {@link WatchedExpression}, plus the latest alerts and health. It is fed by the dashboard's refreshes, so each
 * number is computed once per update whatever the number of open pages; the part every page asks for after an update
 * (that update's points) is rendered once, in {@link #refreshed}, and served as is.
 *
 * <p>Bounded: at most {@code maxStages} stages, {@code maxHeatmaps} timer families and {@code maxSeriesPerWatch}
 * series per watched expression (the dashboard bounds the expressions); memory is about
 * {@code capacity * (80 * stages + 256 * heatmaps + 8 * watched series)} bytes (3.6 MB for 4 stages, 3 timer families
 * and 100 watched series over 15 minutes). All methods synchronise on the history; none calls into the dashboard
 * while holding it except from the dashboard's own refresh thread, so the two locks are always taken in the same
 * order.
 */
final class ConsoleHistory implements DashboardListener {
    private static final System.Logger LOG = System.getLogger(ConsoleHistory.class.getName());

    private final Dashboard dashboard;
    private final int capacity;
    private final int maxStages;
    private final int maxHeatmaps;
    private final int maxSeriesPerWatch;
    private final long watchExpiryUpdates;
    private final long[] times;
    private final Map<List<String>, StageRow> stages = new TreeMap<>(ConsoleHistory::compareStages);
    private final Map<String, LatencyHeatmap> heatmaps = new TreeMap<>();
    private final Map<String, WatchedExpression> watches = new LinkedHashMap<>();
    private long seq;
    private DashboardData latest;
    private MetricsSnapshot latestSnapshot;
    private String latestDelta;
    private byte[] latestDeltaAnswer;
    private byte[] unchangedAnswer;
    private boolean stageLimitLogged;

    /** One stage's columns, by slot. */
    private static final class StageRow {
        final double[][] columns;
        long lastSeq;

        StageRow(int capacity) {
            columns = new double[StageColumn.ALL.length][capacity];
            for (double[] column : columns) {
                Arrays.fill(column, Double.NaN);
            }
        }
    }

    ConsoleHistory(Dashboard dashboard, int capacity, int maxStages, int maxHeatmaps, int maxSeriesPerWatch,
                   long watchExpiryUpdates) {
        this.dashboard = dashboard;
        this.capacity = capacity;
        this.maxStages = maxStages;
        this.maxHeatmaps = maxHeatmaps;
        this.maxSeriesPerWatch = maxSeriesPerWatch;
        this.watchExpiryUpdates = watchExpiryUpdates;
        this.times = new long[capacity];
    }

    private static int compareStages(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }

    private int slot(long update) {
        return (int) ((update - 1) % capacity);
    }

    @Override
    public synchronized void refreshed(MetricsSnapshot snapshot, DashboardData data) {
        seq++;
        int slot = slot(seq);
        times[slot] = data.timestampMillis();
        latest = data;
        latestSnapshot = snapshot;
        recordStages(data, slot);
        recordHeatmaps(snapshot, slot);
        recordWatches(data, slot);
        latestDelta = renderShared(seq - 1);
        // What every page without "any metric" charts asks for after this update, and until the next one: encoded
        // once here, served as they are.
        latestDeltaAnswer = answer(latestDelta);
        unchangedAnswer = answer(renderShared(seq));
    }

    private static byte[] answer(String shared) {
        return new JsonWriter().beginObject().name("shared").rawValue(shared).name("watched").beginObject()
                .endObject().endObject().toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The encoded answer of {@link #update} for a page that charts no expression and has seen update {@code since},
     * when it was computed at the last refresh (the page is one update behind, or up to date); else null.
     */
    synchronized byte[] cachedUpdate(long since) {
        if (since == seq - 1 && seq > 0) {
            return latestDeltaAnswer;
        }
        return since == seq && seq > 0 ? unchangedAnswer : null;
    }

    private void recordStages(DashboardData data, int slot) {
        for (StageRow row : stages.values()) {
            for (double[] column : row.columns) {
                column[slot] = Double.NaN;
            }
        }
        for (StageSummary stage : data.stages()) {
            List<String> key = List.of(stage.pipeline(), stage.stage());
            StageRow row = stages.get(key);
            if (row == null) {
                if (stages.size() >= maxStages) {
                    if (!stageLimitLogged) {
                        stageLimitLogged = true;
                        LOG.log(System.Logger.Level.WARNING, "the console shows at most " + maxStages
                                + " stages; stage " + key + " and later ones are left out");
                    }
                    continue;
                }
                row = new StageRow(capacity);
                stages.put(key, row);
            }
            row.lastSeq = seq;
            for (StageColumn column : StageColumn.ALL) {
                row.columns[column.ordinal()][slot] = column.read(stage);
            }
        }
        stages.values().removeIf(row -> seq - row.lastSeq >= capacity);
    }

    private void recordHeatmaps(MetricsSnapshot snapshot, int slot) {
        for (FamilySnapshot family : snapshot.families()) {
            if (family.type() != MetricType.TIMER) {
                continue;
            }
            LatencyHeatmap heatmap = heatmaps.get(family.name());
            if (heatmap == null) {
                if (heatmaps.size() >= maxHeatmaps) {
                    continue;
                }
                heatmap = new LatencyHeatmap(family.name(), family.help(), capacity);
                heatmaps.put(family.name(), heatmap);
            }
            heatmap.seenAt = seq;
            heatmap.update(family, slot);
        }
        for (LatencyHeatmap heatmap : heatmaps.values()) {
            if (heatmap.seenAt != seq) {
                heatmap.clear(slot);
            }
        }
    }

    private void recordWatches(DashboardData data, int slot) {
        for (Iterator<WatchedExpression> it = watches.values().iterator(); it.hasNext(); ) {
            WatchedExpression watch = it.next();
            if (seq - watch.lastRequestedSeq > watchExpiryUpdates) {
                it.remove();
                dashboard.unwatch(watch.expression());     // on the refresh thread: it holds the dashboard already
                continue;
            }
            watch.record(data.watched().get(watch.expression()), seq, slot);
        }
    }

    /** Whether the history keeps {@code expression}; if so, notes that a page asked for it now. */
    synchronized boolean touch(String expression) {
        WatchedExpression watch = watches.get(expression);
        if (watch != null) {
            watch.lastRequestedSeq = seq;
        }
        return watch != null;
    }

    /** Starts keeping {@code expression}, which the dashboard already watches, from the next update. */
    synchronized void keep(String expression) {
        watches.computeIfAbsent(expression, e -> new WatchedExpression(e, capacity, maxSeriesPerWatch, seq));
    }

    /** The latest update's number (0 before the first). */
    synchronized long seq() {
        return seq;
    }

    /** The snapshot of the latest update, or null before the first. */
    synchronized MetricsSnapshot latestSnapshot() {
        return latestSnapshot;
    }

    /**
     * The page's update after {@code since}: the shared part (every update after {@code since}, or all that is kept
     * when {@code since} is older than that, newer than the latest, or negative) and, for each of
     * {@code expressions}, its series over the same updates ({@code errors} holds a message for those that could not
     * be watched).
     */
    synchronized String update(long since, List<String> expressions, Map<String, String> errors) {
        long from = firstKept(since);
        JsonWriter json = new JsonWriter().beginObject().name("shared");
        json.rawValue(from == seq - 1 && latestDelta != null ? latestDelta : renderShared(from));
        json.name("watched").beginObject();
        for (String expression : expressions) {
            json.name(expression).beginObject();
            WatchedExpression watch = watches.get(expression);
            String error = errors.get(expression);
            if (error != null) {
                json.name("error").value(error);
            }
            json.name("series").beginArray();
            if (watch != null) {
                watch.series().forEach((labels, series) -> {
                    json.beginObject().name("labels").value(labels).name("values");
                    values(json, series.values, from);
                    json.endObject();
                });
            }
            json.endArray();
            if (watch != null && watch.droppedSeries() > 0) {
                json.name("droppedSeries").value(watch.droppedSeries());
            }
            json.endObject();
        }
        return json.endObject().endObject().toString();
    }

    /** The oldest update a page that has seen {@code since} needs, minus one. */
    private long firstKept(long since) {
        long oldest = Math.max(0, seq - capacity);
        return since < oldest || since > seq ? oldest : since;
    }

    /** Updates {@code from + 1 .. seq}: times, stages, heatmaps, and the latest alerts and health. */
    private String renderShared(long from) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("seq").value(seq)
                .name("from").value(from)
                .name("capacity").value(capacity)
                .name("intervalMillis").value(dashboard.interval().toMillis())
                .name("windowSeconds").value(dashboard.window().toMillis() / 1e3)
                .name("times").beginArray();
        for (long update = from + 1; update <= seq; update++) {
            json.value(times[slot(update)]);
        }
        json.endArray().name("stages").beginArray();
        stages.forEach((key, row) -> {
            json.beginObject().name("pipeline").value(key.get(0)).name("stage").value(key.get(1))
                    .name("columns").beginObject();
            for (StageColumn column : StageColumn.ALL) {
                json.name(column.jsonName());
                values(json, row.columns[column.ordinal()], from);
            }
            json.endObject().endObject();
        });
        json.endArray().name("heatmap").beginObject()
                .name("firstPower").value(LatencyHeatmap.FIRST_POWER)
                .name("rowsPerOctave").value(LatencyHeatmap.ROWS_PER_OCTAVE)
                .name("rows").value(LatencyHeatmap.ROWS)
                .name("families").beginArray();
        for (LatencyHeatmap heatmap : heatmaps.values()) {
            json.beginObject().name("family").value(heatmap.family()).name("help").value(heatmap.help())
                    .name("cells").beginArray();
            for (long update = from + 1; update <= seq; update++) {
                // Sparse: [row, count, row, count, ...] per update; most rows of a second are empty.
                int[] counts = heatmap.counts(slot(update));
                json.beginArray();
                if (counts != null) {
                    for (int row = 0; row < counts.length; row++) {
                        if (counts[row] != 0) {
                            json.value(row).value(counts[row]);
                        }
                    }
                }
                json.endArray();
            }
            // Sparse as the cells: [row, trace id, ...] per update, the newest exemplar of each row.
            json.endArray().name("traces").beginArray();
            for (long update = from + 1; update <= seq; update++) {
                String[] traces = heatmap.traces(slot(update));
                json.beginArray();
                if (traces != null) {
                    for (int row = 0; row < traces.length; row++) {
                        if (traces[row] != null) {
                            json.value(row).value(traces[row]);
                        }
                    }
                }
                json.endArray();
            }
            json.endArray().endObject();
        }
        json.endArray().endObject().name("alerts").beginArray();
        if (latest != null) {
            for (Alert alert : latest.activeAlerts()) {
                AlertJson.members(json.beginObject(), alert).endObject();
            }
        }
        json.endArray().name("health");
        if (latest == null || latest.health() == null) {
            json.value((String) null);
        } else {
            json.rawValue(latest.health().toJson());
        }
        return json.endObject().toString();
    }

    /** The values of updates {@code from + 1 .. seq}, NaN as null (a gap in the chart). */
    private void values(JsonWriter json, double[] ring, long from) {
        json.beginArray();
        for (long update = from + 1; update <= seq; update++) {
            double value = ring[slot(update)];
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                json.value((String) null);
            } else {
                // Float precision (7 digits) is what a chart can show and halves the bytes of a double's repr.
                json.rawValue(Float.toString((float) value));
            }
        }
        json.endArray();
    }

    /** The families and label values of the latest snapshot, for the "any metric" selector. */
    synchronized String catalogue(int maxValuesPerLabel) {
        JsonWriter json = new JsonWriter().beginObject().name("families").beginArray();
        if (latestSnapshot != null) {
            for (FamilySnapshot family : latestSnapshot.families()) {
                String name = family.type() == MetricType.COUNTER && !family.name().endsWith("_total")
                        ? family.name() + "_total" : family.name();
                json.beginObject().name("name").value(name)
                        .name("type").value(family.type().name().toLowerCase(java.util.Locale.ROOT))
                        .name("help").value(family.help())
                        .name("labels").beginObject();
                List<String> labelNames = family.labelNames();
                for (int i = 0; i < labelNames.size(); i++) {
                    List<String> values = new ArrayList<>();
                    for (var point : family.points()) {
                        String value = point.labelValues().get(i);
                        if (!values.contains(value) && values.size() < maxValuesPerLabel) {
                            values.add(value);
                        }
                    }
                    json.name(labelNames.get(i)).beginArray();
                    values.stream().sorted().forEach(json::value);
                    json.endArray();
                }
                json.endObject().endObject();
            }
        }
        return json.endArray().endObject().toString();
    }
}
