package io.streammetrics.alert;

import java.time.Duration;

/**
 * How an {@link AlertEvaluator}'s loop is doing, read at one moment ({@link AlertEvaluator#status()}): what its
 * health check and an operator look at when alerts seem quiet.
 *
 * @param started                   whether {@link AlertEvaluator#start()} was called (and not closed since)
 * @param interval                  the evaluation interval
 * @param evaluations               evaluations completed, by the thread or by {@link AlertEvaluator#evaluateOnce()}
 * @param lastEvaluationMillis      the time of the last completed evaluation (its snapshot's time), epoch millis, or
 *                                  0 before the first
 * @param lastDuration              how long the last completed evaluation took, snapshot included
 * @param nanosSinceLastEvaluation  time since the last evaluation ended (since {@code start()} if none has), on the
 *                                  evaluator's clock; -1 when neither happened
 * @param runningNanos              how long the evaluation now in progress has been running, or -1 if none is
 * @param skippedTicks              ticks of the schedule passed over because an evaluation ran late
 */
public record EvaluatorStatus(boolean started, Duration interval, long evaluations, long lastEvaluationMillis,
                              Duration lastDuration, long nanosSinceLastEvaluation, long runningNanos,
                              long skippedTicks) {
}
