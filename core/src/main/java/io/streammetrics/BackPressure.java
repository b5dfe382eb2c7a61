package io.streammetrics;

/** What a record does when its producer ring is full. */
public enum BackPressure {
    /** The record returns at once and the value is dropped and counted ({@code streammetrics_events_dropped_total}). */
    DROP,
    /** The record waits for room: no value is lost, at the price of stalling the recording thread. */
    BLOCK
}
