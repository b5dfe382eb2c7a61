package io.streammetrics.prometheus;

/**
 * Which bucket representation a histogram or timer family is exported with.
 *
 * <p>Prometheus servers without the native-histograms feature (and the text formats) only see classic buckets;
 * servers with it ingest native buckets and, by default, drop classic ones unless the scrape sets
 * {@code scrape_classic_histograms: true}. Exporting both, as client_java does by default, serves either.
 */
public enum HistogramMode {
    /** Classic {@code _bucket{le="..."}} series only. */
    CLASSIC,
    /** Native (exponential) buckets only; the text formats then show just {@code _count}, {@code _sum} and {@code +Inf}. */
    NATIVE,
    /** Both representations (the default). */
    BOTH;

    boolean classic() {
        return this != NATIVE;
    }

    boolean nativeBuckets() {
        return this != CLASSIC;
    }
}
