/**
 * The engine: {@link io.streammetrics.MetricsEngine} (built with its builder; hands out family builders as a
 * {@link io.streammetrics.metric.Meter}, takes snapshots, owns the aggregator thread) and its life cycle
 * ({@link io.streammetrics.EngineState}, {@link io.streammetrics.EngineStatus},
 * {@link io.streammetrics.EngineFailedException}, {@link io.streammetrics.BackPressure}).
 *
 * <p>API. The top of module core: <b>depends on</b> every package of core (it wires them) and on nothing outside
 * core; nothing in core depends on it, so the packages below form layers without a cycle (the architecture test
 * checks this).
 */
package io.streammetrics;
