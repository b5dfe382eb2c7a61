package io.streammetrics.architecture;

/**
 * The package groups the architecture rules speak of, as ArchUnit package patterns. One place, so that a package
 * that moves or is added is put in its layer once and every rule follows.
 */
final class Layers {
    /** Every package of streammetrics, in every module. */
    static final String ALL = "io.streammetrics..";

    /** The bottom layer: the vocabulary every other package uses (metric types, units, bucket layouts, clock). */
    static final String VOCABULARY = "io.streammetrics.common";

    /**
     * The record path: what a recording thread runs (handles, cells, producer rings) and the single writer that
     * applies it to the off-heap store. It must stay small and know nothing of the code that reads what it wrote.
     */
    static final String[] RECORD_PATH = {
        "io.streammetrics.metric..",
        "io.streammetrics.internal.ring..",
        "io.streammetrics.internal.cell..",
        "io.streammetrics.internal.aggregate..",
        "io.streammetrics.internal.store..",
    };

    /** Readers of the store: consistent snapshots. */
    static final String[] SNAPSHOTS = {"io.streammetrics.snapshot.."};

    /** One package per exporter module, and the operator API and console that mount on the scrape server. */
    static final String[] EXPORTERS = {
        "io.streammetrics.prometheus..",
        "io.streammetrics.otlp..",
        "io.streammetrics.push..",
        "io.streammetrics.remotewrite..",
        "io.streammetrics.influx..",
        "io.streammetrics.console..",
        "io.streammetrics.operator..",
    };

    /** Module alerting: rules, windows, evaluator, notifiers, health, dashboard data, stream facade, JSON. */
    static final String[] ALERTING = {
        "io.streammetrics.alert..",
        "io.streammetrics.window..",
        "io.streammetrics.health..",
        "io.streammetrics.dashboard..",
        "io.streammetrics.stream..",
        "io.streammetrics.json..",
    };

    /** The engine's internals that only the engine itself may touch: cells, rings and the aggregator. */
    static final String[] ENGINE_INTERNALS_EXPORTERS_MUST_NOT_USE = {
        "io.streammetrics.internal.ring..",
        "io.streammetrics.internal.cell..",
        "io.streammetrics.internal.aggregate..",
    };

    /** YAML, JSON and HTTP libraries (and the JDK's HTTP client and server): none belongs in module core. */
    static final String[] YAML_JSON_HTTP = {
        "org.snakeyaml..", "org.yaml..",
        "io.streammetrics.json..", "com.fasterxml.jackson..", "com.google.gson..", "jakarta.json..", "javax.json..",
        "org.json..",
        "java.net.http..", "com.sun.net.httpserver..", "org.eclipse.jetty..", "io.prometheus.metrics.exporter..",
        "okhttp3..", "org.apache.hc..", "org.apache.http..",
    };

    private Layers() {
    }

    static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
