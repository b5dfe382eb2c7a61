package io.streammetrics.dashboard;

import io.streammetrics.alert.expr.EvalContext;
import io.streammetrics.alert.expr.Expr;
import io.streammetrics.alert.expr.ExprParser;
import io.streammetrics.alert.expr.Sample;
import io.streammetrics.stream.StreamMetricNames;
import io.streammetrics.window.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's numbers as expressions of the rule language, so that a dashboard rate or quantile is computed
 * exactly as a rule computes it (windows differenced from cumulative snapshots). Per stage, quantiles take the worst
 * partition: a quantile of a merged distribution cannot be rebuilt from per-partition quantiles, and the worst one
 * is what an operator looks for.
 */
final class DashboardQueries {
    private static final String BY_STAGE = "by (pipeline, stage) ";

    private final Expr records;
    private final Expr bytes;
    private final Expr errors;
    private final Expr p50;
    private final Expr p99;
    private final Expr p999;
    private final Expr endToEndP50;
    private final Expr endToEndP99;
    private final Expr endToEndP999;
    private final Expr queue;
    private final List<Expr> columns;
    private final Map<String, Expr> engine = new LinkedHashMap<>();
    private final Map<String, Expr> process = new LinkedHashMap<>();

    DashboardQueries(Duration window) {
        String range = "[" + window.toMillis() + "ms]";
        records = ExprParser.parse("sum " + BY_STAGE + "(rate(" + StreamMetricNames.RECORDS_PROCESSED + range + "))");
        bytes = ExprParser.parse("sum " + BY_STAGE + "(rate(" + StreamMetricNames.BYTES_PROCESSED + range + "))");
        errors = ExprParser.parse("sum " + BY_STAGE + "(rate(" + StreamMetricNames.ERRORS + range + "))");
        p50 = worstQuantile("0.5", StreamMetricNames.PROCESSING_LATENCY, range);
        p99 = worstQuantile("0.99", StreamMetricNames.PROCESSING_LATENCY, range);
        p999 = worstQuantile("0.999", StreamMetricNames.PROCESSING_LATENCY, range);
        endToEndP50 = worstQuantile("0.5", StreamMetricNames.END_TO_END_LATENCY, range);
        endToEndP99 = worstQuantile("0.99", StreamMetricNames.END_TO_END_LATENCY, range);
        endToEndP999 = worstQuantile("0.999", StreamMetricNames.END_TO_END_LATENCY, range);
        queue = ExprParser.parse("max " + BY_STAGE + "(last(" + StreamMetricNames.QUEUE_SIZE + "))");
        columns = List.of(records, bytes, errors, p50, p99, p999, endToEndP50, endToEndP99, endToEndP999, queue);
        engine.put("eventsPublishedPerSecond", ExprParser.parse("sum(rate(streammetrics_events_published_total" + range + "))"));
        engine.put("eventsDropped", ExprParser.parse("sum(last(streammetrics_events_dropped_total))"));
        engine.put("valuesRejected", ExprParser.parse("sum(last(streammetrics_values_rejected_total))"));
        engine.put("valuesClamped", ExprParser.parse("sum(last(streammetrics_values_clamped_total))"));
        engine.put("series", ExprParser.parse("sum(last(streammetrics_series))"));
        engine.put("ringFillRatio", ExprParser.parse("max(last(streammetrics_ring_fill_ratio))"));
        engine.put("aggregatorLagEvents", ExprParser.parse("max(last(streammetrics_aggregator_lag_events))"));
        process.put("cpuUsage", ExprParser.parse("max(last(process_cpu_usage))"));
        process.put("heapUsedBytes", ExprParser.parse("sum(last(jvm_memory_used_bytes{area=\"heap\"}))"));
        process.put("heapMaxBytes", ExprParser.parse("sum(last(jvm_memory_max_bytes{area=\"heap\"}))"));
        process.put("threads", ExprParser.parse("sum(last(jvm_threads_current))"));
        process.put("uptimeSeconds", ExprParser.parse("max(last(process_uptime_seconds))"));
    }

    private static Expr worstQuantile(String q, String family, String range) {
        return ExprParser.parse("max " + BY_STAGE + "(quantile(" + q + ", " + family + range + "))");
    }

    /** Declares every window the queries read. */
    void declareWindows(WindowStore windows) {
        columns.forEach(expr -> expr.declareWindows(windows));
        engine.values().forEach(expr -> expr.declareWindows(windows));
        process.values().forEach(expr -> expr.declareWindows(windows));
    }

    /** Every stage that has any of the numbers, sorted by pipeline then stage. */
    List<StageSummary> stages(EvalContext context) {
        Map<List<String>, double[]> byStage = new TreeMap<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        for (int column = 0; column < columns.size(); column++) {
            for (Sample sample : columns.get(column).evaluate(context)) {
                List<String> key = List.of(sample.labels().getOrDefault("pipeline", ""),
                        sample.labels().getOrDefault("stage", ""));
                byStage.computeIfAbsent(key, k -> nanRow(columns.size()))[column] = sample.value();
            }
        }
        List<StageSummary> stages = new ArrayList<>(byStage.size());
        byStage.forEach((key, row) -> {
            if (Double.isNaN(row[2]) && !Double.isNaN(row[0])) {
                row[2] = 0;     // the stage has not resolved an error type yet: no error series, no errors
            }
            stages.add(new StageSummary(key.get(0), key.get(1), row[0], row[1], row[2],
                    row[0] > 0 ? row[2] / row[0] : Double.NaN, row[3], row[4], row[5], row[6], row[7], row[8],
                    row[9]));
        });
        return stages;
    }

    Map<String, Double> engine(EvalContext context) {
        return scalars(engine, context);
    }

    Map<String, Double> process(EvalContext context) {
        return scalars(process, context);
    }

    private static Map<String, Double> scalars(Map<String, Expr> queries, EvalContext context) {
        Map<String, Double> values = new LinkedHashMap<>();
        queries.forEach((name, expr) -> {
            List<Sample> samples = expr.evaluate(context);
            values.put(name, samples.isEmpty() ? Double.NaN : samples.get(0).value());
        });
        return values;
    }

    private static double[] nanRow(int columns) {
        double[] row = new double[columns];
        Arrays.fill(row, Double.NaN);
        return row;
    }
}
