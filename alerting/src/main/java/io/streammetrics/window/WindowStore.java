package io.streammetrics.window;

import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.HistogramPoint;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows of every series the rules read. Rules declare what they read and over how long
 * ({@link #require(SeriesSelection, long)}); each evaluation then {@link #update}s the store from the snapshot, which
 * appends one sample to the window of every matching series, creates windows for new series and drops the windows
 * of series no requirement matches any more. Windows are sized by the longest range that reads them; memory per
 * series is stated on {@link WindowSettings} (scalars) and {@link HistogramWindow} (distributions). Only the
 * evaluator thread uses a store.
 */
public final class WindowStore {
    private final WindowSettings settings;
    private final List<Requirement> requirements = new ArrayList<>();
    private final Map<SeriesKey, ScalarWindow> scalars = new HashMap<>();
    private final Map<SeriesKey, HistogramWindow> histograms = new HashMap<>();
    private long updateCount;
    private SeriesIndex index;

    private record Requirement(SeriesSelection selection, long rangeMillis) {
    }

    /** An empty store. */
    public WindowStore(WindowSettings settings) {
        this.settings = settings;
    }

    public WindowSettings settings() {
        return settings;
    }

    /** Declares that {@code selection} is read over windows of up to {@code rangeMillis} (0 for the last value). */
    public void require(SeriesSelection selection, long rangeMillis) {
        requirements.add(new Requirement(selection, Math.max(rangeMillis, settings.intervalMillis())));
    }

    /** The selections declared so far with their ranges, in order (for a rule that looks at what it reads). */
    public Map<SeriesSelection, Long> requirements() {
        Map<SeriesSelection, Long> out = new LinkedHashMap<>();
        for (Requirement requirement : requirements) {
            out.merge(requirement.selection(), requirement.rangeMillis(), Math::max);
        }
        return out;
    }

    /**
     * Replaces the requirements (a rule reload). Windows of series that are still required keep their history;
     * the others go at the next update.
     */
    public void clearRequirements() {
        requirements.clear();
    }

    /**
     * The index of {@code snapshot}: the one {@link #update} built when it is the snapshot last appended, so that
     * the expressions of an evaluation reuse the selections the update resolved; a fresh one otherwise. The store
     * keeps the last index, and with it the last snapshot, until the next one replaces it.
     */
    public SeriesIndex index(MetricsSnapshot snapshot) {
        if (index == null || index.snapshot() != snapshot) {
            index = new SeriesIndex(snapshot);
        }
        return index;
    }

    /** Appends the samples of {@code snapshot}, taken at {@code nowMillis}, to every required window. */
    public void update(MetricsSnapshot snapshot, long nowMillis) {
        long stamp = ++updateCount;
        SeriesIndex series = index(snapshot);
        for (Requirement requirement : requirements) {
            SeriesSelection selection = requirement.selection();
            for (SeriesIndex.Match match : series.matches(selection)) {
                FamilySnapshot family = match.family();
                SeriesPoint point = match.point();
                SeriesKey key = selection.key(family, point);
                if (selection.signal() == Signal.DISTRIBUTION) {
                    HistogramWindow window = histograms.get(key);
                    if (window == null) {
                        window = new HistogramWindow(settings.intervalMillis(), ((HistogramPoint) point).layout(),
                                requirement.rangeMillis());
                        histograms.put(key, window);
                    }
                    window.ensureRange(requirement.rangeMillis());
                    if (window.seenAt != stamp) {
                        window.seenAt = stamp;
                        window.record(nowMillis, (HistogramPoint) point);
                    }
                    match.histogram = window;
                } else {
                    ScalarWindow window = scalars.get(key);
                    if (window == null) {
                        window = new ScalarWindow(settings, selection.signal().monotonic(family.type()),
                                requirement.rangeMillis());
                        scalars.put(key, window);
                    }
                    window.ensureRange(requirement.rangeMillis());
                    if (window.seenAt != stamp) {
                        window.seenAt = stamp;
                        window.record(nowMillis, selection.signal().read(family, point, selection.bound()));
                    }
                    match.scalar = window;
                }
            }
        }
        scalars.values().removeIf(window -> window.seenAt != stamp);
        histograms.values().removeIf(window -> window.seenAt != stamp);
    }

    /** The scalar window of a series, or null if it is not tracked. */
    public ScalarWindow scalar(SeriesKey key) {
        return scalars.get(key);
    }

    /** The distribution window of a histogram, or null if it is not tracked. */
    public HistogramWindow histogram(SeriesKey key) {
        return histograms.get(key);
    }

    /** Number of series windows held (scalar and distribution). */
    public int trackedSeries() {
        return scalars.size() + histograms.size();
    }
}
