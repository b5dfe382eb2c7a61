package io.streammetrics.internal.ring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A handle's shortcuts (home and guest) always give the calling thread its own ring, however many threads share it. */
class ThreadRingCacheTest {

    @Test
    void everyThreadSharingAHandleGetsItsOwnRingOnEveryCall() throws Exception {
        int threads = 4;
        ProducerRings rings = new ProducerRings(1024, 8, false, 16);
        ThreadRingCache home = new ThreadRingCache();
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<ProducerRing> own = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<String> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    ProducerRing mine = rings.current();
                    own.add(mine);
                    // Interleave the first calls so that the home and guest claims race with the lookups.
                    together.await();
                    for (int i = 0; i < 100_000; i++) {
                        ProducerRing got = home.ring(rings);
                        if (got != mine) {
                            failure.compareAndSet(null, Thread.currentThread().getName() + " got another thread's ring at call " + i);
                            return;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e.toString());
                }
            }, "recorder-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertNull(failure.get());
        assertEquals(threads, own.size());
        for (int a = 0; a < threads; a++) {
            for (int b = a + 1; b < threads; b++) {
                assertNotSame(own.get(a), own.get(b), "two threads were given one dedicated ring");
            }
        }
        rings.close();
    }

    @Test
    void theFirstTwoThreadsTakeTheShortcutsAndKeepThem() throws Exception {
        ProducerRings rings = new ProducerRings(1024, 8, false, 16);
        ThreadRingCache home = new ThreadRingCache();
        ProducerRing first = home.ring(rings);
        AtomicReference<ProducerRing> second = new AtomicReference<>();
        AtomicReference<ProducerRing> secondAgain = new AtomicReference<>();
        Thread other = new Thread(() -> {
            second.set(home.ring(rings));
            secondAgain.set(home.ring(rings));
        });
        other.start();
        other.join();
        assertSame(rings.current(), first);
        assertSame(first, home.ring(rings));
        assertNotSame(first, second.get());
        assertSame(second.get(), secondAgain.get());
        rings.close();
    }
}
