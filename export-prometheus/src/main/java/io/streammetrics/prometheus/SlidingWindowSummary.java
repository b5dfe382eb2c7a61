package io.streammetrics.prometheus;

import io.streammetrics.common.HistogramLayout;
import io.streammetrics.snapshot.HistogramPoint;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sliding-window state of one histogram or timer family exported as a Prometheus summary.
 *
 * <p>Engine histograms are cumulative, so the distribution of the values recorded within a window is the
 * difference of two cumulative snapshots: the current one minus the one taken at the window's start. Per series, a
 * small ring keeps the cumulative {@link HistogramPoint}s seen at collect time, at most one per sub-window
 * ({@code window / subWindows}); at most {@code subWindows + 1} are kept, each an immutable copy of the series'
 * occupied bucket range (from its lowest to its highest non-empty HDR bucket). The baseline of a collect at time
 * {@code now} (the snapshot's timestamp, engine clock) is, in order:
 * <ol>
 *   <li>the current point itself (an empty window) if the series' last update is at or before {@code now - window};
 *   </li>
 *   <li>zero if the series was registered after {@code now - window} (every value is inside the window);</li>
 *   <li>the oldest kept point taken at or after {@code now - window}: once the collector has collected for a
 *       window, the window then covers between {@code window - max(sub-window, scrape interval)} and
 *       {@code window}, as client_java's age buckets do; during its first window, it starts at the first
 *       collect;</li>
 *   <li>otherwise (no collect within the last window: right after the collector started, or after a gap in
 *       scrapes) the newest older point, or zero if there is none: the window then reaches further back than
 *       {@code window}, up to the series' registration.</li>
 * </ol>
 * Thread-safe: each series' ring is updated under its own lock.
 */
final class SlidingWindowSummary {
    /** The quantiles every summary exports. */
    static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    private final long windowMillis;
    private final long subWindowMillis;
    private final int maxKept;
    private final Map<Integer, Ring> rings = new ConcurrentHashMap<>();

    SlidingWindowSummary(Duration window, int subWindows) {
        this.windowMillis = window.toMillis();
        this.subWindowMillis = Math.max(1, windowMillis / subWindows);
        // One point per sub-window inside the window, both ends included, or fewer plus one before it. The cap
        // only matters if the clock steps back.
        this.maxKept = subWindows + 1;
    }

    long windowMillis() {
        return windowMillis;
    }

    /**
     * The values of {@code current} recorded within the window ending at {@code nowMillis}, as an HdrHistogram with
     * the engine's layout; remembers {@code current} for later windows when a sub-window has passed since the last
     * remembered point.
     */
    org.HdrHistogram.Histogram window(HistogramPoint current, long nowMillis) {
        Ring ring = rings.computeIfAbsent(current.seriesId(), id -> new Ring());
        HistogramPoint baseline;
        synchronized (ring) {
            baseline = ring.baseline(current, nowMillis);
            ring.remember(current, nowMillis);
        }
        return difference(current, baseline);
    }

    /** Quantile {@code q} of a window in exported units ({@code scale} as the collector's); NaN when empty. */
    static double quantile(org.HdrHistogram.Histogram window, double q, double scale) {
        return window.getTotalCount() == 0 ? Double.NaN : window.getValueAtPercentile(q * 100) / scale;
    }

    /** Number of points kept for a series (for tests of the memory bound). */
    int kept(int seriesId) {
        Ring ring = rings.get(seriesId);
        if (ring == null) {
            return 0;
        }
        synchronized (ring) {
            return ring.points.size();
        }
    }

    /** {@code current - baseline} bucket by bucket ({@code baseline} null: zero). */
    static org.HdrHistogram.Histogram difference(HistogramPoint current, HistogramPoint baseline) {
        HistogramLayout layout = current.layout();
        org.HdrHistogram.Histogram histogram = new org.HdrHistogram.Histogram(layout.lowestDiscernibleValue(),
                layout.highestTrackableValue(), layout.significantDigits());
        if (baseline == current) {
            return histogram;
        }
        for (int i = current.lowIndex(); i <= current.highIndex(); i++) {
            long count = current.countAt(i) - (baseline == null ? 0 : baseline.countAt(i));
            // Cumulative counts never decrease; a negative difference can only come from a baseline that is not
            // older than the current point, which baseline() excludes. Guard anyway: never a negative count.
            if (count > 0) {
                histogram.recordValueWithCount(layout.valueAt(i), count);
            }
        }
        return histogram;
    }

    /** The cumulative points of one series, oldest first, with the time of the snapshot each came from. */
    private final class Ring {
        private final ArrayDeque<HistogramPoint> points = new ArrayDeque<>();
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        HistogramPoint baseline(HistogramPoint current, long now) {
            long windowStart = now - windowMillis;
            if (current.lastUpdateMillis() <= windowStart) {
                return current;
            }
            if (current.createdMillis() > windowStart) {
                return null;
            }
            HistogramPoint before = null;
            Iterator<Long> time = times.iterator();
            for (HistogramPoint point : points) {
                long at = time.next();
                // A point from a later snapshot than current (concurrent collects, a clock step back) is no baseline.
                if (at > now || point.count() > current.count()) {
                    continue;
                }
                if (at >= windowStart) {
                    return point;
                }
                before = point;
            }
            return before;
        }

        void remember(HistogramPoint current, long now) {
            Long newest = times.peekLast();
            if (newest == null || now - newest >= subWindowMillis) {
                points.addLast(current);
                times.addLast(now);
            }
            // Keep one point at or before the window's start (the baseline when no collect happened inside it).
            while (times.size() >= 2 && secondOldest() <= now - windowMillis || times.size() > maxKept) {
                points.removeFirst();
                times.removeFirst();
            }
        }

        private long secondOldest() {
            Iterator<Long> it = times.iterator();
            it.next();
            return it.next();
        }
    }
}
