package io.streammetrics.window;

/**
 * The history of one scalar series: a fine tier with one sample per evaluation and, for windows longer than the
 * fine limit, a coarse tier of checkpoints (see {@link WindowSettings}). A monotonic series (a counter, a
 * histogram's count, sum or bucket) is stored reset-adjusted: a value lower than the previous one is taken as a
 * restart from zero, as PromQL's {@code rate} does, so an increase over any window is one subtraction.
 */
public final class ScalarWindow {
    private final WindowSettings settings;
    private final boolean monotonic;
    private SampleRing fine;
    private SampleRing coarse;
    private long rangeMillis;
    private double lastRaw = Double.NaN;
    private double adjusted;
    long seenAt;

    ScalarWindow(WindowSettings settings, boolean monotonic, long rangeMillis) {
        this.settings = settings;
        this.monotonic = monotonic;
        this.fine = new SampleRing(settings.fineCapacity(rangeMillis));
        ensureRange(rangeMillis);
    }

    /** Grows the tiers so that they cover {@code range}; history already kept is preserved. */
    void ensureRange(long range) {
        if (range <= rangeMillis) {
            return;
        }
        rangeMillis = range;
        int fineCapacity = settings.fineCapacity(range);
        if (fineCapacity > fine.capacity()) {
            fine = fine.resized(fineCapacity);
        }
        int coarseCapacity = settings.coarseCapacity(range);
        if (coarseCapacity > 0 && coarse != null) {
            coarse = coarse.resized(coarseCapacity);
        } else if (coarseCapacity > 0) {
            // A longer window appeared (another rule, a reload): seed the checkpoints from the history kept so far.
            coarse = new SampleRing(coarseCapacity);
            for (int i = 0; i < fine.size(); i++) {
                appendCheckpoint(fine.timeAt(i), fine.valueAt(i));
            }
        }
    }

    private void appendCheckpoint(long timeMillis, double value) {
        // Half an interval of slack so that jitter in the tick does not skip a checkpoint.
        if (coarse.size() == 0
                || timeMillis - coarse.lastTime() >= settings.coarseStepMillis() - settings.intervalMillis() / 2) {
            coarse.append(timeMillis, value);
        }
    }

    /** Appends the value read at {@code nowMillis}. */
    public void record(long nowMillis, double raw) {
        double value = raw;
        if (monotonic) {
            if (Double.isNaN(lastRaw)) {
                adjusted = raw;
            } else {
                adjusted += raw >= lastRaw ? raw - lastRaw : raw;
            }
            lastRaw = raw;
            value = adjusted;
        }
        fine.append(nowMillis, value);
        if (coarse != null) {
            appendCheckpoint(nowMillis, value);
        }
    }

    /** The newest value as read (not reset-adjusted), or NaN before the first sample. */
    public double last() {
        return monotonic ? lastRaw : fine.lastValue();
    }

    /** Increase of a monotonic series over the window ending now (resets handled); NaN with under two samples. */
    public double increase(long nowMillis, long rangeMillis) {
        SampleRing ring = ringFor(rangeMillis);
        int start = start(ring, nowMillis, rangeMillis);
        return start < 0 ? Double.NaN : fine.lastValue() - ring.valueAt(start);
    }

    /** Per-second rate of a monotonic series over the window: its increase over the time the samples span. */
    public double rate(long nowMillis, long rangeMillis) {
        SampleRing ring = ringFor(rangeMillis);
        int start = start(ring, nowMillis, rangeMillis);
        if (start < 0) {
            return Double.NaN;
        }
        double seconds = (fine.lastTime() - ring.timeAt(start)) / 1000.0;
        return (fine.lastValue() - ring.valueAt(start)) / seconds;
    }

    /**
     * The sample a window starts from: in the fine tier, or at a checkpoint of the coarse tier (the window then
     * ends at the newest fine sample, not at the last checkpoint). -1 if there is none before the newest sample.
     */
    private int start(SampleRing ring, long nowMillis, long rangeMillis) {
        if (ring == fine) {
            return fine.windowStart(nowMillis, rangeMillis);
        }
        int start = Math.max(0, ring.indexAtOrBefore(nowMillis - rangeMillis));
        return ring.size() == 0 || ring.timeAt(start) >= fine.lastTime() ? -1 : start;
    }

    /**
     * {@code avg/min/max/sum/count_over_time} of the samples in the window (for a window beyond the fine limit, of
     * its checkpoints).
     */
    public double overTime(OverTime function, long nowMillis, long rangeMillis) {
        return function.apply(ringFor(rangeMillis), nowMillis, rangeMillis);
    }

    /** The value a least-squares line through the window predicts {@code horizonSeconds} from now. */
    public double predictLinear(long nowMillis, long rangeMillis, double horizonSeconds) {
        return LinearFit.predict(ringFor(rangeMillis), nowMillis, rangeMillis, horizonSeconds);
    }

    /** Samples kept, over both tiers (for tests and the memory statement). */
    public int samplesKept() {
        return fine.size() + (coarse == null ? 0 : coarse.size());
    }

    SampleRing ringFor(long range) {
        long fineSpan = (long) (fine.capacity() - 2) * settings.intervalMillis();
        return coarse == null || range <= fineSpan ? fine : coarse;
    }
}
