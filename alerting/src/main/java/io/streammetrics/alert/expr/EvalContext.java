package io.streammetrics.alert.expr;

import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.window.WindowStore;

/**
 * What an expression is evaluated against: the snapshot of this evaluation, the windows already updated from it,
 * and the evaluation time.
 *
 * @param snapshot  this evaluation's snapshot
 * @param windows   the windows, updated from {@code snapshot}
 * @param nowMillis evaluation time, epoch millis
 */
public record EvalContext(MetricsSnapshot snapshot, WindowStore windows, long nowMillis) {
}
