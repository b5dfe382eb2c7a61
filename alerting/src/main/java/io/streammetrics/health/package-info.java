/**
 * The process's health: {@link io.streammetrics.health.HealthMonitor} combines the firing alerts (warning: degraded;
 * critical, fatal: critical) with registered {@link io.streammetrics.health.HealthCheck}s into an immutable
 * {@link io.streammetrics.health.HealthReport}, which an HTTP endpoint serves as JSON with status 200 (healthy,
 * degraded) or 503 (critical).
 *
 * <p>Checks run off the caller's thread with a timeout, so a check that hangs or throws becomes a critical
 * component with the reason instead of a hung probe; reports are cached briefly so that probes cannot multiply the
 * work. {@link io.streammetrics.health.DependencyCheck} turns a ping into a check and
 * {@link io.streammetrics.health.CircuitBreakerCheck} publishes a circuit breaker's state,
 * {@link io.streammetrics.health.EngineCheck} the metrics engine's own (failed, closed, stalled) and
 * {@link io.streammetrics.health.EvaluatorCheck} the alert evaluator's loop (stalled, late); the last two judge a
 * loop the same way (a stall limit, survived problems degrading one report), in one package-private helper.
 *
 * <p>Depends on the engine's status ({@code io.streammetrics}), on alerting ({@code io.streammetrics.alert}: the
 * firing alerts and the evaluator's status; {@code io.streammetrics.alert.rule}: their severities) and on
 * {@code io.streammetrics.json} for the report's JSON; only the dashboard data reads its reports.
 */
package io.streammetrics.health;
