package io.streammetrics.console;

import io.streammetrics.dashboard.StageSummary;

import java.util.function.ToDoubleFunction;

/** The per-stage numbers the console keeps a history of, each named as the page and its JSON name it. */
enum StageColumn {
    RECORDS_PER_SECOND("recordsPerSecond", StageSummary::recordsPerSecond),
    BYTES_PER_SECOND("bytesPerSecond", StageSummary::bytesPerSecond),
    ERROR_RATIO("errorRatio", StageSummary::errorRatio),
    P50("p50", StageSummary::p50Seconds),
    P99("p99", StageSummary::p99Seconds),
    P999("p999", StageSummary::p999Seconds),
    END_TO_END_P50("endToEndP50", StageSummary::endToEndP50Seconds),
    END_TO_END_P99("endToEndP99", StageSummary::endToEndP99Seconds),
    END_TO_END_P999("endToEndP999", StageSummary::endToEndP999Seconds),
    QUEUE_SIZE("queueSize", StageSummary::queueSize);

    static final StageColumn[] ALL = values();

    private final String jsonName;
    private final ToDoubleFunction<StageSummary> reader;

    StageColumn(String jsonName, ToDoubleFunction<StageSummary> reader) {
        this.jsonName = jsonName;
        this.reader = reader;
    }

    String jsonName() {
        return jsonName;
    }

    double read(StageSummary stage) {
        return reader.applyAsDouble(stage);
    }
}
