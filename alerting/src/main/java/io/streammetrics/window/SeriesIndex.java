package io.streammetrics.window;

import io.streammetrics.internal.registry.NameRules;
import io.streammetrics.snapshot.FamilySnapshot;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesPoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation's snapshot, indexed for the selections that read it: each selection is resolved once per
 * evaluation and shared by the window update and every expression that reads it, a family's series are found by
 * the value of a label (so that a selector such as {@code {stage="parse"}} does not scan the whole family once per
 * rule), and a series' label map is built once however many rules read it. Built lazily, by the evaluator thread
 * only; a new snapshot gets a new index.
 */
public final class SeriesIndex {
    private final MetricsSnapshot snapshot;
    private final Map<SeriesSelection, List<Match>> matches = new IdentityHashMap<>();
    private final Map<FamilySnapshot, Map<String, Map<String, List<SeriesPoint>>>> byLabel = new IdentityHashMap<>();
    private final Map<SeriesPoint, Map<String, String>> labels = new IdentityHashMap<>();

    /**
     * One series a selection matched, with the windows {@link WindowStore#update} appended it to, so that the
     * expressions reading it need no second look-up.
     */
    public static final class Match {
        private final FamilySnapshot family;
        private final SeriesPoint point;
        ScalarWindow scalar;
        HistogramWindow histogram;

        Match(FamilySnapshot family, SeriesPoint point) {
            this.family = family;
            this.point = point;
        }

        public FamilySnapshot family() {
            return family;
        }

        public SeriesPoint point() {
            return point;
        }

        /** The scalar window the update appended this series to, or null (not a required selection). */
        public ScalarWindow scalar() {
            return scalar;
        }

        /** The distribution window the update appended this series to, or null (not a required selection). */
        public HistogramWindow histogram() {
            return histogram;
        }
    }

    /** An index of {@code snapshot}, empty until asked. */
    public SeriesIndex(MetricsSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** The snapshot indexed. */
    public MetricsSnapshot snapshot() {
        return snapshot;
    }

    /** The series {@code selection} matches in this snapshot, in snapshot order; resolved on the first call. */
    public List<Match> matches(SeriesSelection selection) {
        List<Match> found = matches.get(selection);
        if (found == null) {
            List<Match> resolved = new ArrayList<>();
            selection.forEachMatch(this, (family, point) -> resolved.add(new Match(family, point)));
            found = Collections.unmodifiableList(resolved);
            matches.put(selection, found);
        }
        return found;
    }

    /**
     * The series of {@code family} whose label {@code name} (one of the family's label names) has {@code value}, in
     * family order; the overflow series has every label empty.
     */
    public List<SeriesPoint> withLabel(FamilySnapshot family, String name, String value) {
        Map<String, List<SeriesPoint>> byValue = byLabel.computeIfAbsent(family, f -> new HashMap<>())
                .computeIfAbsent(name, n -> index(family, family.labelNames().indexOf(n)));
        return byValue.getOrDefault(value, List.of());
    }

    private static Map<String, List<SeriesPoint>> index(FamilySnapshot family, int label) {
        Map<String, List<SeriesPoint>> byValue = new HashMap<>();
        for (SeriesPoint point : family.points()) {
            String value = point.isOverflow() ? "" : point.labelValues().get(label);
            byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(point);
        }
        return byValue;
    }

    /**
     * The labels of a series: its family's label names with its values, immutable (so that a {@code Sample} keeps
     * the map instead of copying it); the overflow series is told apart by {@code overflow="true"}. The same map for
     * every call with the same point.
     */
    public Map<String, String> labels(FamilySnapshot family, SeriesPoint point) {
        Map<String, String> found = labels.get(point);
        if (found == null) {
            found = labelsOf(family, point);
            labels.put(point, found);
        }
        return found;
    }

    private static Map<String, String> labelsOf(FamilySnapshot family, SeriesPoint point) {
        if (point.isOverflow()) {
            return Map.of(NameRules.OVERFLOW_LABEL, "true");
        }
        List<String> names = family.labelNames();
        List<String> values = point.labelValues();
        // Map.of for the usual one or two labels: no intermediate map to copy from.
        switch (names.size()) {
            case 0:
                return Map.of();
            case 1:
                return Map.of(names.get(0), values.get(0));
            case 2:
                return Map.of(names.get(0), values.get(0), names.get(1), values.get(1));
            default:
                Map<String, String> labels = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    labels.put(names.get(i), values.get(i));
                }
                return Map.copyOf(labels);
        }
    }
}
