/**
 * Windows over cumulative snapshots: the evaluator appends one sample per evaluation for each series its rules
 * read, and computes {@code rate}, {@code increase}, {@code *_over_time}, {@code predict_linear} and windowed
 * quantiles by differencing the samples at the two ends of a window, as PromQL does, never from lists of raw
 * recorded values. Counters are stored reset-adjusted; histograms as their non-zero bucket range; windows longer
 * than an hour come from one-minute checkpoints. Memory per series is stated on {@link
 * io.streammetrics.window.WindowSettings} and {@link io.streammetrics.window.HistogramWindow}.
 */
package io.streammetrics.window;
