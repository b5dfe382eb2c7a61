package io.streammetrics;

/**
 * What a record that travels as a ring event does when its producer ring is full. Integer counter increments never
 * travel as events (they go to counter cells), so neither policy ever drops or delays them.
 */
public enum BackPressure {
    /** The record returns at once and the value is dropped and counted ({@code streammetrics_events_dropped_total}). */
    DROP,
    /**
     * The record waits for room: no value is lost while the engine runs, at the price of stalling the recording
     * thread. A record still waiting when the engine closes or fails is released, dropped and counted.
     */
    BLOCK
}
