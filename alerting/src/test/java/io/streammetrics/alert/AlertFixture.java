package io.streammetrics.alert;

import io.streammetrics.common.EngineClock;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SyntheticSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A hand-driven evaluator: a clock that moves only when told, snapshots built per evaluation, and a notifier that
 * records what it receives on its own thread.
 */
final class AlertFixture {
    static final long START = 1_700_000_000_000L;

    final FakeClock clock = new FakeClock(START);
    private Function<Long, MetricsSnapshot> snapshots = t -> SyntheticSnapshot.at(t).build();

    /** An {@link EngineClock} whose wall clock is set by the test. */
    static final class FakeClock implements EngineClock {
        private volatile long millis;

        FakeClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration duration) {
            millis += duration.toMillis();
        }

        @Override
        public long nanoTime() {
            return millis * 1_000_000;
        }

        @Override
        public long epochMillis() {
            return millis;
        }
    }

    /** A notifier that records events (extended by tests that need more of a notifier). */
    static class Recorder implements AlertNotifier {
        private final String name;
        final List<AlertEvent> events = new CopyOnWriteArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void notify(AlertEvent event) {
            events.add(event);
        }

        List<AlertEvent.Kind> kinds() {
            List<AlertEvent.Kind> kinds = new ArrayList<>();
            events.forEach(event -> kinds.add(event.kind()));
            return kinds;
        }

        /** Waits (bounded) until {@code count} events arrived. */
        void await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(count, events.size(), () -> name + " received " + kinds());
        }
    }

    /** Snapshots come from this function of the evaluation time. */
    void snapshots(Function<Long, MetricsSnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    AlertEvaluator.Builder builder() {
        return AlertEvaluator.builder().clock(clock).snapshots(() -> snapshots.apply(clock.epochMillis()));
    }

    /** Advances the clock by one second and evaluates, {@code times} times. */
    static void tick(AlertFixture fixture, AlertEvaluator evaluator, int times) {
        for (int i = 0; i < times; i++) {
            fixture.clock.advance(Duration.ofSeconds(1));
            evaluator.evaluateOnce();
        }
    }

    /** The kinds of the evaluator's history. */
    static List<AlertEvent.Kind> historyKinds(AlertEvaluator evaluator) {
        List<AlertEvent.Kind> kinds = new ArrayList<>();
        evaluator.history().forEach(event -> kinds.add(event.kind()));
        return kinds;
    }
}
