package io.streammetrics.alert;

import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.alert.rule.AlertRule;
import io.streammetrics.alert.rule.ThresholdCondition;
import io.streammetrics.snapshot.SyntheticSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.streammetrics.alert.AlertFixture.tick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator (or an attacker with the operator API) can do to the evaluator: a pathological regular expression
 * in a silence or a rule selector, acknowledgements and silences while an evaluation runs, and unbounded silences.
 * The timeouts are generous bounds on operations that take microseconds when correct and forever when not.
 */
class OperatorSafetyTest {
    /** Exponential for a backtracking engine on a value that does not end in '!'; linear for RE2. */
    private static final String CATASTROPHIC = "(.*){30}!";
    private static final String LONG_STAGE = "enrich-orders-from-the-customer-db";
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final AlertFixture fixture = new AlertFixture();
    private final AtomicReference<Double> level = new AtomicReference<>(150.0);

    OperatorSafetyTest() {
        fixture.snapshots(t -> SyntheticSnapshot.at(t)
                .gauge("stream_queue_size", List.of("stage"), level.get(), LONG_STAGE).build());
    }

    private static AlertRule queueHigh(String expression) {
        return AlertRule.builder("QueueHigh").condition(ThresholdCondition.of(expression))
                .repeatInterval(Duration.ZERO).build();
    }

    @Test
    void aCatastrophicBacktrackingSilenceMatcherDoesNotStallEvaluation() throws Exception {
        AlertFixture.Recorder recorder = new AlertFixture.Recorder("recorder");
        try (AlertEvaluator evaluator = fixture.builder().notifier(recorder)
                .rule(queueHigh("stream_queue_size > 100")).build()) {
            evaluator.silence(List.of(new LabelMatcher("stage", LabelMatcher.Op.REGEX, CATASTROPHIC)),
                    Duration.ofHours(1), "mallory", "");
            assertTimeoutPreemptively(BOUND, () -> tick(fixture, evaluator, 3));
            // The silence does not match (no '!'), so the alert fired and was sent.
            recorder.await(1);
            assertEquals(AlertEvent.Kind.FIRING, recorder.events.get(0).kind());
        }
    }

    @Test
    void aCatastrophicBacktrackingRuleSelectorDoesNotStallEvaluation() {
        try (AlertEvaluator evaluator = fixture.builder()
                .rule(queueHigh("stream_queue_size{stage!~\"" + CATASTROPHIC + "\"} > 100")).build()) {
            assertTimeoutPreemptively(BOUND, () -> tick(fixture, evaluator, 2));
            assertEquals(1, evaluator.activeAlerts().size());
        }
    }

    @Test
    void backreferencesAndLookaroundAreRefusedNamingThePattern() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabelMatcher("stage", LabelMatcher.Op.REGEX, "(a)\\1"));
        assertTrue(e.getMessage().contains("(a)\\1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LabelMatcher("stage", LabelMatcher.Op.REGEX, "(?=a)a"));
    }

    @Test
    void emptyAndNonLabelMatcherNamesAreRefused() {
        for (String name : List.of("", "1abc", "a-b", "stage name", "é")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LabelMatcher.equal(name, "x"), name);
            assertTrue(e.getMessage().contains("invalid label name"), e.getMessage());
        }
        assertEquals("__name__", LabelMatcher.equal("__name__", "up").name());
    }

    @Test
    void acknowledgementsAndSilencesAnswerWhileAnEvaluationIsInProgress() throws Exception {
        CountDownLatch inEvaluation = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Boolean> block = new AtomicReference<>(false);
        fixture.snapshots(t -> {
            if (block.get()) {
                inEvaluation.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return SyntheticSnapshot.at(t).gauge("stream_queue_size", List.of("stage"), level.get(), LONG_STAGE)
                    .build();
        });
        try (AlertEvaluator evaluator = fixture.builder().rule(queueHigh("stream_queue_size > 100")).build()) {
            tick(fixture, evaluator, 1);
            String id = evaluator.activeAlerts().get(0).id();
            block.set(true);
            Thread evaluation = new Thread(() -> tick(fixture, evaluator, 1), "slow-evaluation");
            evaluation.start();
            try {
                assertTrue(inEvaluation.await(10, TimeUnit.SECONDS));
                assertTimeoutPreemptively(BOUND, () -> {
                    assertTrue(evaluator.acknowledge(id, "alice"));
                    assertFalse(evaluator.acknowledge("no-such-alert", "alice"));
                    Silence silence = evaluator.silence(List.of(LabelMatcher.equal("stage", "x")),
                            Duration.ofMinutes(5), "bob", "");
                    assertEquals(List.of(silence), evaluator.silences());
                    assertTrue(evaluator.expireSilence(silence.id()));
                    assertEquals(1, evaluator.activeAlerts().size(), "reads are served from the published copy");
                });
                assertNull(evaluator.activeAlerts().get(0).acknowledgedBy(), "queued until the next pass");
            } finally {
                block.set(false);
                release.countDown();
                evaluation.join(10_000);
            }
            tick(fixture, evaluator, 1);
            assertEquals("alice", evaluator.activeAlerts().get(0).acknowledgedBy());
        }
    }

    @Test
    void silencesAreBoundedInNumberAndExpiredOnesAreDropped() {
        try (AlertEvaluator evaluator = fixture.builder().maxSilences(3).build()) {
            List<Silence> added = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                added.add(evaluator.silence(List.of(LabelMatcher.equal("stage", "s" + i)),
                        Duration.ofSeconds(10 + i * 10L), "bob", ""));
            }
            IllegalStateException full = assertThrows(IllegalStateException.class, () -> evaluator.silence(
                    List.of(LabelMatcher.equal("stage", "s3")), Duration.ofMinutes(1), "bob", ""));
            assertTrue(full.getMessage().contains("too many silences"), full.getMessage());
            // The first ends: adding drops it and takes its place, without an evaluation in between.
            fixture.clock.advance(Duration.ofSeconds(10));
            Silence fourth = evaluator.silence(List.of(LabelMatcher.equal("stage", "s3")), Duration.ofMinutes(1),
                    "bob", "");
            assertEquals(List.of(added.get(1), added.get(2), fourth), evaluator.silences());
            // Listings leave out those that ended, before any evaluation drops them.
            fixture.clock.advance(Duration.ofSeconds(10));
            assertEquals(List.of(added.get(2), fourth), evaluator.silences());
            // And an evaluation drops those that ended.
            tick(fixture, evaluator, 10);
            assertEquals(List.of(fourth), evaluator.silences());
        }
    }

    @Test
    void aSilenceIsBoundedInMatchersAndSizes() {
        List<LabelMatcher> many = new ArrayList<>();
        for (int i = 0; i <= Silence.MAX_MATCHERS; i++) {
            many.add(LabelMatcher.equal("l" + i, "v"));
        }
        assertThrows(IllegalArgumentException.class, () -> Silence.of(many, Long.MAX_VALUE, "bob", ""));
        Silence.of(many.subList(0, Silence.MAX_MATCHERS), Long.MAX_VALUE, "bob", "");
        String longValue = "v".repeat(Silence.MAX_MATCHER_VALUE_LENGTH + 1);
        assertThrows(IllegalArgumentException.class,
                () -> Silence.of(List.of(LabelMatcher.equal("stage", longValue)), Long.MAX_VALUE, "bob", ""));
        assertThrows(IllegalArgumentException.class, () -> Silence.of(List.of(LabelMatcher.equal("stage", "x")),
                Long.MAX_VALUE, "b".repeat(Silence.MAX_CREATED_BY_LENGTH + 1), ""));
        assertThrows(IllegalArgumentException.class, () -> Silence.of(List.of(LabelMatcher.equal("stage", "x")),
                Long.MAX_VALUE, "bob", "c".repeat(Silence.MAX_COMMENT_LENGTH + 1)));
    }

    @Test
    void aSilenceDurationBeyondEpochMillisIsAClearError() {
        try (AlertEvaluator evaluator = fixture.builder().build()) {
            assertThrows(IllegalArgumentException.class, () -> evaluator.silence(
                    List.of(LabelMatcher.equal("stage", "x")), Duration.ofSeconds(Long.MAX_VALUE / 1000 - 1), "bob", ""));
        }
    }
}
