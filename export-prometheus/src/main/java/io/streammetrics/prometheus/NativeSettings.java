package io.streammetrics.prometheus;

/**
 * One histogram or timer family's native bucket settings, as {@code PrometheusCollector.Builder}'s {@code native*}
 * methods set them: the family's own where set, else the collector's ({@link CollectorConfig#nativeSettings}).
 *
 * @param maxBuckets the most native buckets (0: no limit); a wider populated range lowers the schema
 * @param initialSchema the highest schema, -4 to 8 (capped at the HDR precision's when mapped)
 * @param minZeroThreshold the least zero bucket threshold, in exported units
 */
record NativeSettings(int maxBuckets, int initialSchema, double minZeroThreshold) {
}
