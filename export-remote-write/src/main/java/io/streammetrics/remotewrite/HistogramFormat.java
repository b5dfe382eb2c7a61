package io.streammetrics.remotewrite;

/**
 * How a histogram or timer family is sent in remote write, as a Prometheus scrape offers it: classic buckets
 * ({@code _bucket{le}}, {@code _sum}, {@code _count} series), a native histogram (the request's histogram field;
 * the receiver must accept native histograms, e.g. Prometheus with {@code --enable-feature=native-histograms}), or
 * both.
 */
public enum HistogramFormat {
    CLASSIC(true, false),
    NATIVE(false, true),
    BOTH(true, true);

    private final boolean classic;
    private final boolean nativeBuckets;

    HistogramFormat(boolean classic, boolean nativeBuckets) {
        this.classic = classic;
        this.nativeBuckets = nativeBuckets;
    }

    /** Whether the classic {@code le} series are sent. */
    public boolean classic() {
        return classic;
    }

    /** Whether a native histogram is sent. */
    public boolean nativeBuckets() {
        return nativeBuckets;
    }
}
