package io.streammetrics.metric;

/**
 * Where families are registered: the counter, gauge, histogram and timer builders of one engine, as OpenTelemetry's
 * {@code Meter} hands out instrument builders. {@code MetricsEngine} is the one implementation; code that registers
 * families of its own (the JVM metrics, a library's instrumentation) takes a {@code Meter}, so that it needs nothing
 * above this package and the engine can register it in turn.
 */
public interface Meter {
    /** Starts building a counter family. */
    CounterFamily.Builder counter(String name);

    /** Starts building a gauge family. */
    GaugeFamily.Builder gauge(String name);

    /** Starts building a histogram family. */
    HistogramFamily.Builder histogram(String name);

    /** Starts building a timer family. */
    TimerFamily.Builder timer(String name);

    /**
     * Whether the meter is closed: its families record nothing any more, and code that refreshes readings on a
     * thread of its own stops.
     */
    boolean isClosed();
}
