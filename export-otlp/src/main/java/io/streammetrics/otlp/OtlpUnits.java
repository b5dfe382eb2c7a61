package io.streammetrics.otlp;

import io.streammetrics.common.MetricType;
import io.streammetrics.common.Unit;

import java.util.Map;

/**
 * Maps streammetrics' Prometheus-style unit names to the UCUM codes OpenTelemetry uses ({@code s}, {@code By}, ...),
 * which is also what receivers such as VictoriaMetrics turn back into a {@code _seconds}/{@code _bytes} suffix.
 */
final class OtlpUnits {
    private static final Map<String, String> UCUM = Map.of(
            "seconds", "s",
            "bytes", "By",
            "ratio", "1",
            "celsius", "Cel",
            "joules", "J",
            "grams", "g",
            "meters", "m",
            "volts", "V",
            "amperes", "A");

    private OtlpUnits() {
    }

    /** The UCUM unit of a family; "" when it has none. Timers are exported in seconds whatever they record. */
    static String of(MetricType type, Unit unit) {
        if (type == MetricType.TIMER) {
            return "s";
        }
        if (unit == null) {
            return "";
        }
        // Units without a UCUM code here pass through unchanged: UCUM allows arbitrary annotations and receivers
        // keep unknown units verbatim.
        return UCUM.getOrDefault(unit.name(), unit.name());
    }
}
