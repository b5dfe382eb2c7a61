package io.streammetrics.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Test values spread evenly over decades: what exercises every bucket width of an HDR or exponential layout. */
public final class LogUniform {
    private LogUniform() {
    }

    /** {@code n} values log-uniform from {@code lowest} to {@code lowest * ratio} (rounded, at least 1), sorted. */
    public static long[] sorted(SplittableRandom random, int n, long lowest, double ratio) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.max(1, Math.round(lowest * Math.pow(ratio, random.nextDouble())));
        }
        Arrays.sort(values);
        return values;
    }
}
