package io.streammetrics;

import io.streammetrics.exemplar.ExemplarLabels;
import io.streammetrics.internal.aggregate.Aggregator;
import io.streammetrics.internal.aggregate.CallbackWrites;
import io.streammetrics.common.EngineClock;
import io.streammetrics.common.HistogramLayout;
import io.streammetrics.internal.aggregate.SelfMetrics;
import io.streammetrics.internal.registry.MetricRegistry;
import io.streammetrics.internal.ring.CurrentSpanSource;
import io.streammetrics.internal.ring.ProducerRings;
import io.streammetrics.internal.ring.RecordEvent;
import io.streammetrics.internal.store.MetricStore;
import io.streammetrics.internal.store.StoreLayout;
import io.streammetrics.jvm.JvmMetrics;
import io.streammetrics.metric.CounterFamily;
import io.streammetrics.metric.GaugeFamily;
import io.streammetrics.metric.HistogramFamily;
import io.streammetrics.metric.Instruments;
import io.streammetrics.metric.Meter;
import io.streammetrics.metric.TimerFamily;
import io.streammetrics.snapshot.MetricsSnapshot;
import io.streammetrics.snapshot.SeriesVisitor;
import io.streammetrics.snapshot.SnapshotTaker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The metrics engine: registers metric families, records on pre-resolved handles through per-thread Disruptor rings
 * into an off-heap store written by a single aggregator thread, and takes consistent snapshots.
 *
 * <pre>{@code
 * try (MetricsEngine engine = MetricsEngine.builder().build().start()) {
 *     Counter processed = engine.counter("records_processed_total").help("Records processed.")
 *             .labelNames("stage").register().labels("parse");
 *     Timer latency = engine.timer("processing_latency").help("Processing time.")
 *             .labelNames("stage").register().labels("parse");
 *     long start = latency.start();
 *     processed.increment();
 *     latency.recordSince(start);
 *     MetricsSnapshot snapshot = engine.snapshot();
 * }
 * }</pre>
 *
 * The JVM needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} for Agrona's buffers; {@link #builder()}
 * checks for it.
 */
public final class MetricsEngine implements Meter, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsEngine.class.getName());
    /** The JVM option Agrona 2.x needs. */
    public static final String REQUIRED_JVM_OPTION = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** How long a snapshot waits for the aggregator to apply what was published before it. */
    private static final long SNAPSHOT_DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MetricStore store;
    private final MetricRegistry registry;
    private final ProducerRings rings;
    private final Instruments instruments;
    private final Aggregator aggregator;
    private final SnapshotTaker snapshots;
    private final EngineClock clock;
    /**
     * The lifecycle ({@link EngineState}). {@code start()} and {@code close()} hold {@link #lifecycle} for their whole
     * transition, so that neither can act on a state the other is changing (a start racing a close must not start
     * the aggregator after the close stopped it); the aggregator moves the state to {@code FAILED} by CAS, without
     * the lock, because {@code close()} may be holding it while it waits for the aggregator to end.
     */
    private final AtomicReference<EngineState> state = new AtomicReference<>(EngineState.NEW);
    private final Object lifecycle = new Object();
    private volatile boolean closeCalled;

    private MetricsEngine(Builder builder) {
        this.clock = builder.clock;
        HistogramLayout histogramLayout = new HistogramLayout(builder.histogramLowest, builder.histogramHighest,
                builder.histogramDigits);
        StoreLayout layout = new StoreLayout(builder.maxFamilies, builder.maxSeries, histogramLayout.countsLength());
        this.store = MetricStore.create(layout, histogramLayout, builder.storeMemoryLimit, builder.storeFile,
                clock.epochMillis(), ProcessHandle.current().pid());
        // A record event addresses at most MAX_HISTOGRAM_INDEX + 1 histograms: the registry must not create more.
        this.registry = new MetricRegistry(store, clock, builder.maxSeries,
                Math.min(builder.maxHistograms, RecordEvent.MAX_HISTOGRAM_INDEX + 1));
        this.rings = new ProducerRings(builder.ringSize, builder.maxProducerRings,
                builder.backPressure == BackPressure.BLOCK, builder.maxSeries, histogramLayout,
                builder.histogramCellMemory);
        rings.exemplarSampling(clock, builder.exemplarSampleIntervalMillis);
        if (builder.exemplarsFromOpenTelemetry) {
            rings.currentSpanSource(openTelemetryCurrentSpan(clock));
        }
        this.instruments = new Instruments(registry, rings, clock, builder.cardinalityLimit);
        SelfMetrics selfMetrics = new SelfMetrics(store, registry, rings, instruments);
        // Callback samples reach the store through the aggregator, not through the snapshot thread's ring.
        CallbackWrites callbackWrites = new CallbackWrites();
        this.snapshots = new SnapshotTaker(store, registry, callbackWrites, clock);
        selfMetrics.callbackErrors(snapshots::callbackErrors);
        this.aggregator = new Aggregator(store, rings, callbackWrites, builder.idleStrategy, clock, selfMetrics,
                builder.batchWindowNanos, this::aggregatorFailed);
        aggregator.exemplarMinRetentionMillis(builder.exemplarMinRetentionMillis);
    }

    /** The aggregator met an error it cannot survive (called once, on the failing thread). */
    private void aggregatorFailed(Throwable cause) {
        EngineState current;
        do {
            current = state.get();
            if (current != EngineState.RUNNING && current != EngineState.CLOSING) {
                // NEW cannot fail (no aggregator runs); CLOSED and FAILED are final.
                return;
            }
        } while (!state.compareAndSet(current, EngineState.FAILED));
    }

    /** A builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the aggregator thread. Records made before start wait in the rings. Idempotent while running.
     *
     * @throws IllegalStateException if the engine is closing or closed
     * @throws EngineFailedException if the engine has failed
     */
    public MetricsEngine start() {
        synchronized (lifecycle) {
            EngineState current = state.get();
            switch (current) {
                case NEW:
                    state.set(EngineState.RUNNING);
                    try {
                        aggregator.start("streammetrics-aggregator");
                    } catch (RuntimeException | Error e) {
                        // No thread (say, "unable to create native thread"): still NEW, records still wait.
                        state.set(EngineState.NEW);
                        throw e;
                    }
                    return this;
                case RUNNING:
                    return this;
                case FAILED:
                    throw new EngineFailedException(aggregator.failure());
                default:
                    throw new IllegalStateException("engine is " + current.name().toLowerCase());
            }
        }
    }

    /** Starts building a counter family. */
    @Override
    public CounterFamily.Builder counter(String name) {
        return instruments.counter(name);
    }

    /** Starts building a gauge family. */
    @Override
    public GaugeFamily.Builder gauge(String name) {
        return instruments.gauge(name);
    }

    /** Starts building a histogram family. */
    @Override
    public HistogramFamily.Builder histogram(String name) {
        return instruments.histogram(name);
    }

    /** Starts building a timer family. */
    @Override
    public TimerFamily.Builder timer(String name) {
        return instruments.timer(name);
    }

    /**
     * A consistent snapshot of every series, from any thread, without stopping the aggregator. Callback gauges and
     * counters are sampled on the calling thread (which claims no producer ring for that). While running, the
     * snapshot first waits (at most 1 s) until the aggregator has applied every record made before this call; one
     * that stops waiting is counted in
     * {@code streammetrics_snapshot_timeouts_total}.
     *
     * @throws EngineFailedException if the engine has failed: the store no longer follows the records, and stale
     *                               values must not pass for current ones
     */
    public MetricsSnapshot snapshot() {
        return snapshots.take(awaitRecorded());
    }

    /**
     * Reads every series as {@link #snapshot()} does, with the same consistency, but passes it to {@code visitor}
     * instead of copying it out: for exporters that render straight from the store.
     *
     * @return the read's timestamp, epoch millis
     * @throws EngineFailedException if the engine has failed
     */
    public long snapshot(SeriesVisitor visitor) {
        return snapshots.read(visitor, awaitRecorded());
    }

    /**
     * Brings the store up to every record made before this call, as far as the state allows.
     *
     * @return whether callback samples taken next should be published (false once nothing would apply them)
     */
    private boolean awaitRecorded() {
        switch (state.get()) {
            case RUNNING:
                // Read-your-writes: everything recorded before this call is in the snapshot.
                aggregator.awaitApplied(SNAPSHOT_DRAIN_TIMEOUT_NANOS);
                break;
            case CLOSED:
                // Records that raced with close() may have reached a ring after the last drain: apply them now.
                aggregator.drainAfterStop();
                break;
            default:
                // NEW: nothing applies records yet; CLOSING: the closing thread is applying them.
                break;
        }
        EngineState now = state.get();
        if (now == EngineState.FAILED) {
            throw new EngineFailedException(aggregator.failure());
        }
        return now == EngineState.NEW || now == EngineState.RUNNING;
    }

    /**
     * Stops recording, applies every event already published, stops the aggregator thread and marks the store
     * closed. Records after this are dropped and counted ({@code streammetrics_events_dropped_total{reason="closed"}});
     * snapshots still work. Idempotent; a concurrent call returns once the first has finished. Closing a failed
     * engine releases it and leaves it {@link EngineState#FAILED}.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closeCalled = true;
            EngineState current = state.get();
            if (current == EngineState.CLOSED) {
                return;
            }
            boolean closing = (current == EngineState.NEW || current == EngineState.RUNNING)
                    && state.compareAndSet(current, EngineState.CLOSING);
            if (closing) {
                rings.close();
            }
            // Stops the thread (waiting for it to end) and applies what is left; after a failure it only writes
            // the self-metrics once more, so that a reader of the store file sees what was dropped.
            aggregator.stop();
            store.markClosed();
            state.compareAndSet(EngineState.CLOSING, EngineState.CLOSED);
        }
    }

    /** Whether {@link #close()} has been called. */
    @Override
    public boolean isClosed() {
        return closeCalled;
    }

    /**
     * Extra exemplar labels (name, value, name, value, ...) to pass to the {@code WithExemplar} records, resolved once
     * (like a label handle: keep it). The same labels give the same object. Names follow Prometheus label rules and
     * may not be {@code trace_id} or {@code span_id}; names and values together take at most
     * {@value ExemplarLabels#MAX_CHARACTERS} characters (OpenMetrics' exemplar limit less the trace and span ids).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public ExemplarLabels exemplarLabels(String... namesAndValues) {
        return registry.exemplarLabels(namesAndValues);
    }

    /**
     * The automatic exemplar form's OpenTelemetry source, loaded by name so that no OpenTelemetry class is loaded
     * unless it is asked for.
     */
    private static CurrentSpanSource openTelemetryCurrentSpan(EngineClock clock) {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, MetricsEngine.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("exemplarsFromOpenTelemetry(true) needs the OpenTelemetry API "
                    + "(io.opentelemetry:opentelemetry-api) on the classpath; it is not there", e);
        }
        try {
            return (CurrentSpanSource) Class.forName("io.streammetrics.internal.exemplar.OpenTelemetryCurrentSpan")
                    .getConstructor(EngineClock.class).newInstance(clock);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the OpenTelemetry exemplar source", e);
        }
    }

    /** The lifecycle state. */
    public EngineState state() {
        return state.get();
    }

    /**
     * The engine's state, and its aggregator's: the failure that stopped it, errors survived, time since its last
     * pass. What a health check reports ({@code io.streammetrics.health.EngineCheck}).
     */
    public EngineStatus status() {
        EngineState current = state.get();
        return new EngineStatus(current, current == EngineState.FAILED ? aggregator.failure() : null,
                aggregator.errors(), aggregator.lastError(),
                current == EngineState.RUNNING ? aggregator.nanosSinceLastPass() : -1);
    }

    /** The aggregator, for tests in this package (fault injection); not part of the API. */
    Aggregator aggregator() {
        return aggregator;
    }

    /** The engine's clock: what timers and event-time latencies measure against. */
    public EngineClock clock() {
        return clock;
    }

    /** The bucket layout of every histogram and timer. */
    public HistogramLayout histogramLayout() {
        return store.histogramLayout();
    }

    /** The memory-mapped store file, or null when the store is in anonymous memory. */
    public File storeFile() {
        return store.file();
    }

    /**
     * The registry, for streammetrics' exporters that walk families and series. Not API: the type is internal (see
     * {@link io.streammetrics.internal}). It stays public because the exporters live in other modules and read the
     * engine without copying; Java without JPMS has no narrower visibility for that. Applications use
     * {@link #snapshot()}.
     */
    public MetricRegistry registry() {
        return registry;
    }

    /**
     * The store, for streammetrics' exporters that read it directly (a scrape reads it without copying into a
     * snapshot). Not API, for the reason given at {@link #registry()}.
     */
    public MetricStore store() {
        return store;
    }

    /** Builds a {@link MetricsEngine}. */
    public static final class Builder {
        private int ringSize = 65536;
        private long exemplarSampleIntervalMillis = 90;
        private long exemplarMinRetentionMillis = 7_000;
        private boolean exemplarsFromOpenTelemetry;
        private int maxProducerRings = 32;
        private int maxFamilies = 1024;
        private int maxSeries = 1 << 20;
        private int maxHistograms = RecordEvent.MAX_HISTOGRAM_INDEX + 1;
        private long storeMemoryLimit = defaultStoreMemoryLimit();
        private int cardinalityLimit = 20_000;
        private long histogramCellMemory = 16L * 1024 * 1024;
        private long histogramLowest = 1;
        private long histogramHighest = TimeUnit.HOURS.toNanos(1);
        private int histogramDigits = 2;
        private BackPressure backPressure = BackPressure.DROP;
        private boolean jvmMetrics = true;
        private java.time.Duration jvmMetricsRefreshInterval = JvmMetrics.DEFAULT_REFRESH_INTERVAL;
        private File storeFile;
        private EngineClock clock = EngineClock.SYSTEM;
        private long batchWindowNanos = TimeUnit.MILLISECONDS.toNanos(1);
        private IdleStrategy idleStrategy = new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(10));

        private Builder() {
        }

        /**
         * Slots of each producer ring, a power of two (default 65,536: 1 MiB per recording thread). A ring must hold
         * what a thread records while the aggregator is descheduled: on a busy 2-core machine that is several
         * milliseconds, and 8,192 slots then overflow at a few million records per second.
         */
        public Builder ringSize(int ringSize) {
            if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
                throw new IllegalArgumentException("ring size must be a power of two >= 2, got " + ringSize);
            }
            this.ringSize = ringSize;
            return this;
        }

        /** Threads that get a ring of their own (default 32); later threads share one multi-producer ring. */
        public Builder maxProducerRings(int maxProducerRings) {
            this.maxProducerRings = positive("max producer rings", maxProducerRings);
            return this;
        }

        /** Metric families the store holds (default 1024). */
        public Builder maxFamilies(int maxFamilies) {
            this.maxFamilies = positive("max families", maxFamilies);
            return this;
        }

        /**
         * Series the store holds at most, histograms included (default 1,048,576). Nothing is reserved for them: the
         * store takes memory as series are used, and {@link #storeMemoryLimit} is what bounds it in practice; this is
         * a cap on the count (the store's series directory, 8 bytes per 1,024 series).
         */
        public Builder maxSeries(int maxSeries) {
            this.maxSeries = positive("max series", maxSeries);
            return this;
        }

        /**
         * Histogram and timer series the store holds at most (default: no cap but {@link #storeMemoryLimit} and
         * {@link #maxSeries}). A histogram takes what its buckets hold: about 1.5 KB for a timer whose values span
         * three decades at the default precision, at most about 10 KB for a million values over the whole range.
         */
        public Builder maxHistograms(int maxHistograms) {
            this.maxHistograms = positive("max histograms", maxHistograms);
            return this;
        }

        /**
         * Bytes the store may take before new label sets go to their family's overflow series (default 512 MiB, or
         * half the JVM's maximum heap if that is less, since direct memory is bounded by it unless
         * {@code -XX:MaxDirectMemorySize} says otherwise). The store takes memory in 256 KiB segments as series are
         * registered and their histograms fill, not at build: an engine with a dozen series takes 512 KiB, 10,000
         * timers about 15 MB. The last sixteenth of the limit is kept for what registered series may still need (their
         * histograms' buckets); once the rest is taken, each family's next new label set goes to its overflow series,
         * with a WARNING logged once per family and the lookups counted in
         * {@code streammetrics_cardinality_overflow_total{metric}}; {@code streammetrics_store_bytes} shows what is
         * taken.
         */
        public Builder storeMemoryLimit(long bytes) {
            if (bytes < MetricStore.MIN_MEMORY_LIMIT || bytes > MetricStore.MAX_MEMORY_LIMIT) {
                throw new IllegalArgumentException("store memory limit must be between " + MetricStore.MIN_MEMORY_LIMIT
                        + " and " + MetricStore.MAX_MEMORY_LIMIT + " bytes, got " + bytes);
            }
            this.storeMemoryLimit = bytes;
            return this;
        }

        private static long defaultStoreMemoryLimit() {
            return Math.max(MetricStore.MIN_MEMORY_LIMIT, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 2));
        }

        /**
         * Heap bytes that recording threads' histogram cells may take together (default 16 MiB; 0 turns cells off).
         * A thread that records into a histogram or timer often (at least 16 records in each of two consecutive 10 ms
         * periods, or while its ring is half full) gets a cell holding the buckets its values reach (8 bytes a bucket
         * at the default precision: about 10 KB for a timer whose values span three decades, 37 KB at most for the
         * whole default range); its records then cost a few nanoseconds and never drop. Colder (thread, histogram)
         * pairs, and values the budget has no room for, record through the ring as events, exact but bound by the
         * aggregator's pace. A thread's cells return to the budget when it ends.
         */
        public Builder histogramCellMemory(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("histogram cell memory must be >= 0, got " + bytes);
            }
            this.histogramCellMemory = bytes;
            return this;
        }

        /**
         * Default distinct label sets per family before the overflow series (default 20,000: room for 10,000
         * per-partition timers and more; the OpenTelemetry SDK's 2,000 protects a heap of per-series objects, while a
         * series here costs a few hundred bytes to a few kilobytes of the store, whose memory limit bounds the whole).
         */
        public Builder cardinalityLimit(int cardinalityLimit) {
            this.cardinalityLimit = positive("cardinality limit", cardinalityLimit);
            return this;
        }

        /**
         * Range and precision of every histogram (default 1 to 3,600,000,000,000, one hour in nanoseconds, at 2
         * significant digits). Values above the highest are clamped and counted.
         */
        public Builder histogramRange(long lowestDiscernibleValue, long highestTrackableValue, int significantDigits) {
            new HistogramLayout(lowestDiscernibleValue, highestTrackableValue, significantDigits);
            this.histogramLowest = lowestDiscernibleValue;
            this.histogramHighest = highestTrackableValue;
            this.histogramDigits = significantDigits;
            return this;
        }

        /** What a record does when its ring is full (default {@link BackPressure#DROP}). */
        public Builder backPressure(BackPressure backPressure) {
            this.backPressure = Objects.requireNonNull(backPressure, "backPressure");
            return this;
        }

        /** Keep the store in anonymous direct memory (the default). */
        public Builder anonymousStore() {
            this.storeFile = null;
            return this;
        }

        /**
         * Keep the store in a memory-mapped file that {@code StoreReader} can open from another process. An existing
         * store file whose writer is gone (closed, or its process ended, {@code kill -9} included) is replaced; one
         * whose writer is alive makes {@link #build()} fail with an {@link IllegalStateException} naming its process;
         * an existing file that is not a store is refused rather than overwritten. The writer holds an exclusive lock
         * on the file until {@link MetricsEngine#close()}.
         */
        public Builder storeFile(Path file) {
            this.storeFile = file.toFile();
            return this;
        }

        /** The clock (default {@link EngineClock#SYSTEM}); tests inject their own. */
        public Builder clock(EngineClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How the aggregator waits when there is nothing to apply (default: Agrona's {@link BackoffIdleStrategy},
         * parking at most 10 ms; snapshots and filling rings wake it early). {@code new BusySpinIdleStrategy()}
         * gives the lowest latency at the cost of a core.
         */
        public Builder idleStrategy(IdleStrategy idleStrategy) {
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /**
         * How long the aggregator lets events accumulate after a pass that found only a few (default 1 ms). Reading
         * the rings in batches keeps the record path's cache lines on the recording cores and the aggregator off the
         * CPU under moderate load. {@code Duration.ZERO} polls continuously (with a busy-spin idle strategy: lowest
         * latency, one core).
         */
        public Builder batchWindow(java.time.Duration window) {
            if (window.isNegative()) {
                throw new IllegalArgumentException("batch window must not be negative, got " + window);
            }
            this.batchWindowNanos = window.toNanos();
            return this;
        }

        /**
         * Whether the engine registers the process and JVM metrics of {@link JvmMetrics} (default true). Turn them
         * off to choose groups with {@code JvmMetrics.builder()}, or in all but one engine of a process.
         */
        public Builder jvmMetrics(boolean enabled) {
            this.jvmMetrics = enabled;
            return this;
        }

        /**
         * How often the JVM and process metrics are read, in the background (default 1 second): a snapshot samples
         * the last reading, at most this old, instead of reading JMX and {@code /proc} itself;
         * {@link java.time.Duration#ZERO} reads them on every snapshot. See {@link JvmMetrics.Builder#refreshInterval}.
         *
         * @throws IllegalArgumentException if negative, or positive and under 10 ms
         */
        public Builder jvmMetricsRefreshInterval(java.time.Duration interval) {
            JvmMetrics.builder().refreshInterval(interval);
            this.jvmMetricsRefreshInterval = interval;
            return this;
        }

        /**
         * At most one exemplar per series in this interval leaves the recording threads (default 90 ms, client_java's
         * {@code sampleIntervalMilliseconds}); the gate costs two loads and a compare while it is closed.
         *
         * @throws IllegalArgumentException if under 1 ms or over an hour
         */
        public Builder exemplarSampleInterval(java.time.Duration interval) {
            this.exemplarSampleIntervalMillis = millisBetween("exemplar sample interval", interval, 1, 3_600_000);
            return this;
        }

        /**
         * How long the store keeps an exemplar in its slot (a classic bucket's, a counter's) before a newer one may
         * replace it (default 7 s, client_java's {@code minRetentionPeriodSeconds}), so that a scrape every few
         * seconds sees each bucket's exemplar rather than a new one every interval.
         *
         * @throws IllegalArgumentException if negative or over a day
         */
        public Builder exemplarMinRetention(java.time.Duration retention) {
            this.exemplarMinRetentionMillis = millisBetween("exemplar minimum retention", retention, 0, 86_400_000);
            return this;
        }

        /**
         * The automatic exemplar form (default off): every record on a counter, histogram or timer (not the batch
         * forms) whose series' sample interval has passed takes the OpenTelemetry span current on the recording
         * thread as its exemplar, if that span is sampled, as client_java's {@code prometheus-metrics-tracer-otel}
         * does. Needs {@code io.opentelemetry:opentelemetry-api} on the classpath (an optional dependency of
         * streammetrics); when off, no OpenTelemetry class is loaded. Cost on the record path: two loads and a compare
         * while the series' gate is closed, a span lookup at most once per sample interval with a sampled span current
         * and once a millisecond without one ({@code ExemplarRecordBenchmark}, {@code benchmarks/RESULTS.md}).
         *
         * @throws IllegalStateException at {@link #build()} if on and the OpenTelemetry API is missing
         */
        public Builder exemplarsFromOpenTelemetry(boolean enabled) {
            this.exemplarsFromOpenTelemetry = enabled;
            return this;
        }

        private static long millisBetween(String what, java.time.Duration value, long min, long max) {
            if (value == null || value.isNegative() || value.toMillis() < min || value.toMillis() > max) {
                throw new IllegalArgumentException(what + " must be between " + min + " ms and " + max + " ms, got "
                        + value);
            }
            return value.toMillis();
        }

        /**
         * Builds the engine (not yet started).
         *
         * @throws IllegalStateException if the JVM lacks {@link #REQUIRED_JVM_OPTION}
         */
        public MetricsEngine build() {
            checkAgronaAccess();
            MetricsEngine engine = new MetricsEngine(this);
            if (jvmMetrics) {
                try {
                    JvmMetrics.builder().refreshInterval(jvmMetricsRefreshInterval).register(engine);
                } catch (IllegalStateException e) {
                    // A store sized below the JVM metrics keeps working for the metrics it was sized for.
                    LOG.log(System.Logger.Level.WARNING, "JVM metrics only partly registered (" + e.getMessage()
                            + "): raise maxFamilies/maxSeries, or build with jvmMetrics(false)");
                }
            }
            return engine;
        }

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
            return value;
        }
    }

    /**
     * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}; without the export its first buffer fails with an
     * {@link IllegalAccessError} far from the cause. Fail here instead, with the option to add.
     */
    static void checkAgronaAccess() {
        Module agrona = UnsafeBuffer.class.getModule();
        if (!Object.class.getModule().isExported("jdk.internal.misc", agrona)) {
            throw new IllegalStateException("streammetrics needs the JVM option " + REQUIRED_JVM_OPTION
                    + " (Agrona's off-heap buffers use jdk.internal.misc.Unsafe). Add it to the java command line, "
                    + "to JDK_JAVA_OPTIONS, or as 'Add-Exports: java.base/jdk.internal.misc' in an executable jar's manifest.");
        }
    }
}
