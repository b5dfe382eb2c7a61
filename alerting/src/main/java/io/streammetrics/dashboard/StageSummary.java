package io.streammetrics.dashboard;

/**
 * One stage's key numbers over the dashboard's window, from the {@link io.streammetrics.stream.StreamMetrics} families.
 * A number that cannot be computed yet (a rate before the window holds two samples, a quantile of no records, the
 * error ratio of a stage that processed nothing) is {@code NaN}.
 *
 * @param pipeline          label {@code pipeline}
 * @param stage             label {@code stage}
 * @param recordsPerSecond  {@code rate(stream_records_processed_total[window])}, summed over partitions
 * @param bytesPerSecond    {@code rate(stream_bytes_processed_total[window])}, summed over partitions
 * @param errorsPerSecond   {@code rate(stream_errors_total[window])}, summed over partitions and error types
 * @param errorRatio        errors per record over the window ({@code errorsPerSecond / recordsPerSecond})
 * @param p50Seconds        median processing time over the window (the worst partition's)
 * @param p99Seconds        99th percentile processing time over the window (the worst partition's)
 * @param p999Seconds       99.9th percentile processing time over the window (the worst partition's)
 * @param endToEndP50Seconds  median end-to-end latency ({@code stream_end_to_end_latency_seconds}, recorded where
 *                            records leave the pipeline) over the window (the worst partition's)
 * @param endToEndP99Seconds  99th percentile end-to-end latency over the window (the worst partition's)
 * @param endToEndP999Seconds 99.9th percentile end-to-end latency over the window (the worst partition's)
 * @param queueSize         the latest {@code stream_queue_size} (the largest partition's)
 */
public record StageSummary(String pipeline, String stage, double recordsPerSecond, double bytesPerSecond,
                           double errorsPerSecond, double errorRatio, double p50Seconds, double p99Seconds,
                           double p999Seconds, double endToEndP50Seconds, double endToEndP99Seconds,
                           double endToEndP999Seconds, double queueSize) {
}
