package io.streammetrics.console;

import io.streammetrics.alert.expr.Sample;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history of one expression a page charts ("any metric"): one value per update for each series (label set) of
 * its result, at most {@code maxSeries} series (the first seen; later ones are counted in {@link #droppedSeries()}),
 * a series dropped once it has been absent for the whole history. Kept while pages ask for it.
 */
final class WatchedExpression {
    private final String expression;
    private final int capacity;
    private final int maxSeries;
    private final Map<Map<String, String>, Series> series = new LinkedHashMap<>();
    private long droppedSeries;
    long lastRequestedSeq;

    /** One series' values by slot, and when it was last present. */
    static final class Series {
        final double[] values;
        long lastSeq;

        Series(int capacity) {
            values = new double[capacity];
            Arrays.fill(values, Double.NaN);
        }
    }

    WatchedExpression(String expression, int capacity, int maxSeries, long requestedSeq) {
        this.expression = expression;
        this.capacity = capacity;
        this.maxSeries = maxSeries;
        this.lastRequestedSeq = requestedSeq;
    }

    String expression() {
        return expression;
    }

    Map<Map<String, String>, Series> series() {
        return series;
    }

    long droppedSeries() {
        return droppedSeries;
    }

    /** Records update {@code seq}'s samples (null: not evaluated) in {@code slot}. */
    void record(List<Sample> samples, long seq, int slot) {
        for (Series s : series.values()) {
            s.values[slot] = Double.NaN;
        }
        if (samples != null) {
            for (Sample sample : samples) {
                Series s = series.get(sample.labels());
                if (s == null) {
                    if (series.size() >= maxSeries) {
                        droppedSeries++;
                        continue;
                    }
                    s = new Series(capacity);
                    series.put(sample.labels(), s);
                }
                s.values[slot] = sample.value();
                s.lastSeq = seq;
            }
        }
        for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
            if (seq - it.next().lastSeq >= capacity) {
                it.remove();
            }
        }
    }
}
