package io.streammetrics.alert.expr;

import java.util.Map;

/**
 * One element of an expression's result: a label set and a value, as an element of a PromQL instant vector.
 *
 * @param labels the series' labels (sorted by name, unmodifiable); empty after an aggregation without grouping
 * @param value  the value
 */
public record Sample(Map<String, String> labels, double value) {
    /** Copies the labels. */
    public Sample {
        labels = Map.copyOf(labels);
    }
}
