/**
 * The record path: how a value gets from a processing thread to the aggregator, the only writer of the store. This
 * package holds the producer rings ({@link io.streammetrics.internal.ring.ProducerRing}, one per recording thread, and
 * {@link io.streammetrics.internal.ring.ProducerRings}, all of them), the event encoding
 * ({@link io.streammetrics.internal.ring.RecordEvent}), a handle's thread-to-ring cache
 * ({@link io.streammetrics.internal.ring.ThreadRingCache}) and the exemplar channel onto the rings
 * ({@link io.streammetrics.internal.ring.ExemplarGate}, the per-series rate limit, and
 * {@link io.streammetrics.internal.ring.CurrentSpanSource}, what the automatic form publishes through; they stay here
 * because both work on the rings and the rings' coarse clock). The per-thread cells that most records go to instead
 * are in {@code internal.cell}; the design below covers both.
 *
 * <h2>Design, and the alternatives measured</h2>
 * Figures are from {@code RingDesignBenchmark} (JMH, one run, 2-core machine, JDK 17); the command and the full
 * table are in {@code benchmarks/RESULTS.md}.
 * <ul>
 *   <li><b>One multi-producer ring</b> ({@code RingBuffer.createMultiProducer}, {@code publishEvent} with a
 *       translator): every claim is a CAS on one cursor that all producers write, the translator boxes a
 *       {@code long}, and the default blocking wait strategy signals through a lock. Hundreds of nanoseconds a
 *       record. Rejected.</li>
 *   <li><b>A single-producer ring per recording thread</b> (Disruptor's {@link com.lmax.disruptor.SingleProducerSequencer}
 *       over a pre-allocated {@code long[]} of 16-byte slots, drained by the aggregator with an
 *       {@link com.lmax.disruptor.EventPoller}): a claim touches only fields of the owning thread, a publish is one
 *       release store, no cache line is written by two producers. This is the path of gauge records, fractional counter
 *       increments, and of histogram records that have no cell ({@link io.streammetrics.internal.ring.ProducerRing}). Its
 *       limit is the consumer: every event moves 16 bytes to the aggregator's core, and one aggregator applies
 *       about 27 million histogram events per second of its CPU, so a tight loop of records runs at the
 *       aggregator's pace: 20 ns a histogram record at one thread and 46 ns at two with every record applied
 *       ({@code BLOCK}), or the surplus dropped ({@code DROP}).</li>
 *   <li><b>Per-thread counter cells</b> ({@link io.streammetrics.internal.cell.CounterCells}): integer counter increments, the
 *       most frequent record of all, add to a total that only the recording thread writes and that stays in its
 *       core's cache; the aggregator sweeps the totals that grew and adds the differences to the store. The store
 *       keeps its single writer, counters stay exact and monotonic, and a counter record costs a few loads and one
 *       store: 3.5 ns against 7.2 ns for client_java's {@code LongAdder}-based counter in the same run.</li>
 *   <li><b>Per-thread histogram cells</b> ({@link io.streammetrics.internal.cell.HistogramCells}): the same idea for
 *       histograms and timers, as HdrHistogram's {@code Recorder} keeps a histogram per writer. A thread that records
 *       into a histogram often (at least 16 records in each of two 10 ms sweep periods, or while its ring is half
 *       full) gets a cell of the buckets its values reach; a record then increments a bucket, a block total and the
 *       sum in the recording core's cache and publishes with release stores, and the aggregator adds what grew to
 *       the store at least every 10 ms and whenever a snapshot asks. No event, no drop: 8.3 ns a timer record at one
 *       thread, 7.6 to 10.4 ns at two (OpenTelemetry's exponential histogram: 21.6 ns). Cells hold the buckets their
 *       values reached, twice (the thread's counts and what the aggregator applied: 8 bytes a bucket, about 10 KB
 *       for a timer spanning three decades), so they draw on a memory budget, and colder (thread, histogram) pairs
 *       record as ring events: a thread touching thousands of cold series holds no cell for them.</li>
 *   <li><b>Claims amortised over batches</b>: callers that hold many values claim a range at once
 *       ({@link io.streammetrics.internal.ring.ProducerRing#publishBatch}), one claim and one publish per ring-full.</li>
 * </ul>
 * A thread finds its ring through a {@code ThreadLocal}, except on handles it is the "home" or "guest" thread of
 * (its {@link io.streammetrics.internal.ring.ThreadRingCache}, the first two threads to record on it): there one or two
 * comparisons replace the lookup.
 *
 * <p>Memory stays bounded: at most {@code maxProducerRings} threads get a ring (and counter cells) of their own;
 * later threads share one multi-producer ring and one set of counter cells striped by thread
 * ({@link io.streammetrics.internal.cell.SharedCounterCells}: an atomic add per increment, never an event), so that a counter
 * increment never waits or drops on any thread. The rings of threads that have ended are swept, drained and retired
 * (every 100 ms, and at once when a new thread had to join the shared ring), their totals kept in the store.
 *
 * <h2>Back-pressure</h2>
 * A full ring under {@code DROP} (the default) drops the value and counts it on the producer's own counter; under
 * {@code BLOCK} the producer waits (spin, yield, park) until the aggregator frees a slot, or until the engine closes
 * or fails. Counter cells never fill. Neither path throws or allocates.
 *
 * <h2>Sizing</h2>
 * A ring must absorb what its thread records while the aggregator is not running. On a 2-core machine whose
 * application threads keep both cores busy, the scheduler can leave the aggregator off-CPU for several
 * milliseconds: measured with two busy threads, one recording 5 million events per second, an 8,192-slot ring
 * dropped about half the events while a 65,536-slot ring (the default, 1 MiB) dropped none or a handful. Slots are
 * 16 bytes in a {@code long[]}, not an object each, which is what makes rings that large affordable. A producer whose
 * ring is half full wakes the aggregator rather than wait for its next scheduled pass.
 *
 * <p><b>Depends on:</b> {@code common}, {@code internal.cell} (the cells each ring holds), {@code internal.store}
 * (histogram deltas), the Disruptor, Agrona and the JDK. Never on snapshots, exporters or alerting (the architecture
 * test checks this).
 *
 * <p><b>Internal:</b> this package is part of streammetrics' implementation, public only so that the project's own
 * modules (the exporters) can reach it. It is not API: it may change in any release without notice. Applications
 * use {@code io.streammetrics}, {@code io.streammetrics.metric}, {@code io.streammetrics.common},
 * {@code io.streammetrics.snapshot}, {@code io.streammetrics.exemplar} and the exporters' builders.
 */
package io.streammetrics.internal.ring;

import io.streammetrics.internal.cell.CounterCells;
import io.streammetrics.internal.cell.HistogramCells;
import io.streammetrics.internal.cell.SharedCounterCells;
