package io.streammetrics.stream;

import io.streammetrics.alert.rule.RuleGroup;
import io.streammetrics.alert.config.RuleFile;

import java.util.List;

/**
 * The default alert rules for stream processors, shipped as the YAML resource {@value #RESOURCE} (the
 * {@link RuleFile} format, readable as an example): low throughput (under 10 records/s per pipeline for 2 min), high
 * latency (p99 processing time over 1 s for 1 min), error ratio over 5 % (per stage, over 5 min, for 1 min), CPU over
 * 80 % (for 5 min), heap over 90 % (for 5 min), queue backlog (over 1,000 records for 1 min) and a throughput
 * anomaly. The seed's suppression intervals are the rules' repeat intervals: 5 min (throughput), 3 min (latency) and
 * 2 min (errors).
 *
 * <pre>{@code
 * AlertEvaluator.Builder builder = AlertEvaluator.builder().engine(engine);
 * StreamMetrics.defaultRules().forEach(builder::ruleGroup);
 * }</pre>
 *
 * They read the metrics of {@link StreamMetrics} and of the JVM collectors ({@code process_cpu_usage},
 * {@code jvm_memory_*_bytes{area="heap"}}). To change a threshold, copy the resource into a rule file of your own.
 */
public final class StreamRules {
    /** The class-path resource holding the default rules. */
    public static final String RESOURCE = "/io/streammetrics/stream/default-rules.yaml";

    private StreamRules() {
    }

    /** The default rule groups, parsed anew on each call (rule groups are immutable; parsing takes milliseconds). */
    public static List<RuleGroup> defaults() {
        return RuleFile.loadResource(StreamRules.class, RESOURCE);
    }
}
