/**
 * The record path: how a value gets from a processing thread to the aggregator.
 *
 * <h2>Design</h2>
 * Every record is one event (series id, operation word, value) published on a Disruptor ring buffer and applied
 * by the single aggregator thread. What a record costs is set by how the ring is claimed:
 * <ul>
 *   <li>One ring shared by all producers ({@code RingBuffer.createMultiProducer}) makes every claim a CAS on one
 *       cursor that all producers write, and its {@code publishEvent} with a translator boxes a {@code long} argument
 *       and, with the default blocking wait strategy, signals through a lock. Measured in
 *       {@code RingDesignBenchmark}: hundreds of nanoseconds per record on a 2-core machine, 30 to 100 times an
 *       {@code AtomicLong}.</li>
 *   <li>streammetrics gives each recording thread a ring of its own with Disruptor's {@code SingleProducerSequencer}
 *       ({@link io.streammetrics.ring.ProducerRings}). A claim then reads and writes two fields that only the owning
 *       thread touches; a publish is one release store of the ring's cursor (a plain store on x86); the wait
 *       strategy is never waited on, since the aggregator polls every ring with an {@code EventPoller}, so its
 *       signal is a no-op. The thread finds its ring through a {@code ThreadLocal}, resolved once per record. No
 *       cache line is written by more than one producer.</li>
 *   <li>Callers that already hold many values claim a whole range at once
 *       ({@link io.streammetrics.ring.ProducerRing#publishBatch}), one claim and one publish per ring-full.</li>
 * </ul>
 * Memory stays bounded: at most {@code maxProducerRings} threads get a ring of their own; later threads share one
 * multi-producer ring (correct, slower), and the rings of threads that have ended are retired once drained.
 *
 * <h2>Back-pressure</h2>
 * A full ring under {@code DROP} (the default) drops the value and counts it in the ring, on the producer's own
 * counter; under {@code BLOCK} the producer waits (spin, yield, park) until the aggregator frees a slot, or until the
 * engine closes. Neither path throws or allocates. The events themselves are pre-allocated {@link
 * io.streammetrics.ring.RecordEvent}s, overwritten in place.
 *
 * <h2>Sizing</h2>
 * A ring must absorb what its thread records while the aggregator is not running. On a 2-core machine whose
 * application threads keep both cores busy, the scheduler can leave the aggregator off-CPU for several
 * milliseconds: measured with two busy threads, one recording 5 million events per second, an 8,192-slot ring
 * dropped about half the events while a 65,536-slot ring (the default, 1 MiB) dropped none or a handful. Slots are
 * 16 bytes in a {@code long[]}, not an object each, which is what makes rings that large affordable.
 *
 * <h2>Limits</h2>
 * The aggregator applies on the order of 40-50 million events per second on a 2-core machine; a thread that records
 * faster than that in a tight loop fills its ring and then pays the back-pressure path (a drop, or a wait). Measured
 * figures, with the command that produced them, are in {@code benchmarks/RESULTS.md}.
 */
package io.streammetrics.ring;
