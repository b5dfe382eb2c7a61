package io.streammetrics.alert;

import io.streammetrics.alert.expr.LabelMatcher;
import io.streammetrics.common.EngineClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The silences in force for an {@link AlertEvaluator}: bounded, replaced copy-on-write, expired ones dropped when a
 * silence is added and at every evaluation.
 *
 * <p>Threads: any thread adds and expires silences (an operator API's handler); the evaluating thread drops the
 * expired ones and asks whether an alert is silenced; notifier threads ask the same through
 * {@link AlertEvaluator#firingAlerts(String)}. Writes replace the immutable list under a small lock of this object's
 * own, never the evaluation's, so that an operator never waits for an evaluation; reads take no lock at all.
 */
final class SilenceList {
    private final EngineClock clock;
    private final int maxSilences;
    // Immutable, replaced under writes: the evaluator and notifier threads read it without any lock.
    private volatile List<Silence> silences = List.of();
    private final Object writes = new Object();

    SilenceList(EngineClock clock, int maxSilences) {
        this.clock = clock;
        this.maxSilences = maxSilences;
    }

    /** See {@link AlertEvaluator#silence(List, Duration, String, String)}. */
    Silence silence(List<LabelMatcher> matchers, Duration duration, String createdBy, String comment) {
        long endsAt;
        try {
            endsAt = Math.addExact(clock.epochMillis(), duration.toMillis());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("silence duration " + duration + " ends beyond the year 292278994", e);
        }
        Silence silence = Silence.of(matchers, endsAt, createdBy, comment);
        add(silence);
        return silence;
    }

    /** See {@link AlertEvaluator#addSilence(Silence)}. */
    void add(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        synchronized (writes) {
            List<Silence> live = unexpired(silences, clock.epochMillis());
            if (live.size() >= maxSilences) {
                silences = live;
                throw new IllegalStateException("too many silences: " + maxSilences
                        + " are in force; expire one or wait for one to end");
            }
            List<Silence> next = new ArrayList<>(live.size() + 1);
            next.addAll(live);
            next.add(silence);
            silences = List.copyOf(next);
        }
    }

    /** Ends a silence now; false if there is none with this id. */
    boolean expire(String id) {
        synchronized (writes) {
            List<Silence> current = silences;
            List<Silence> next = new ArrayList<>(current.size());
            for (Silence silence : current) {
                if (!silence.id().equals(id)) {
                    next.add(silence);
                }
            }
            if (next.size() == current.size()) {
                return false;
            }
            silences = List.copyOf(next);
            return true;
        }
    }

    /** The silences in force now. */
    List<Silence> inForce() {
        return unexpired(silences, clock.epochMillis());
    }

    /** Drops the silences ended at {@code atMillis} (the evaluation's time). */
    void dropExpired(long atMillis) {
        synchronized (writes) {
            silences = unexpired(silences, atMillis);
        }
    }

    /** Whether a silence in force at {@code atMillis} mutes an alert with these labels. */
    boolean silenced(Map<String, String> labels, long atMillis) {
        for (Silence silence : silences) {
            if (silence.silences(labels, atMillis)) {
                return true;
            }
        }
        return false;
    }

    private static List<Silence> unexpired(List<Silence> silences, long atMillis) {
        for (Silence silence : silences) {
            if (atMillis >= silence.endsAtMillis()) {
                List<Silence> live = new ArrayList<>(silences.size());
                for (Silence candidate : silences) {
                    if (atMillis < candidate.endsAtMillis()) {
                        live.add(candidate);
                    }
                }
                return List.copyOf(live);
            }
        }
        return silences;
    }
}
