package io.streammetrics.stream;

/** Drives a {@link StreamMetrics} stage through its record methods, for the tests here and in other modules. */
public final class StreamFixtures {
    private StreamFixtures() {
    }

    /**
     * Calls every record and set method of {@code stage} once: two records (one of them a batch), two processing
     * times, two end-to-end latencies from {@code eventMillis}, one error of type {@code parse}, and one of each of
     * the rest; {@code i} varies the values.
     */
    public static void recordEveryMethod(StreamMetrics stage, int i, long eventMillis) {
        long start = stage.startProcessing();
        stage.recordProcessed(128);
        stage.recordProcessedBatch(1, 64);
        stage.recordProcessingSince(start);
        stage.recordProcessingNanos(1_000 + (i & 1023));
        stage.recordEndToEndFromEpochMillis(eventMillis);
        stage.recordEndToEndFromEpochNanos(eventMillis * 1_000_000L);
        stage.recordQueueWaitNanos(500);
        stage.errorType("parse").increment();
        stage.recordRetry();
        stage.setQueueSize(i & 63);
        stage.setConsumerLag(i);
        stage.setWatermark(eventMillis);
        stage.setCompleteness(0.99);
        stage.recordDuplicate();
        stage.recordOutOfOrder();
        stage.recordLate();
        stage.recordWindowFired();
        stage.recordWindowLateDrop();
        stage.recordJoinMatch();
        stage.recordJoinMiss();
        stage.setStateSizeBytes(i);
    }
}
