package io.streammetrics.benchmarks;

import io.streammetrics.BackPressure;
import io.streammetrics.MetricsEngine;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * What the record-cost benchmarks share: JMH settings, one {@link Peers} per trial whose handles the subclass resolves
 * in {@link #resolve(Peers)}, shared by every benchmark thread ({@link Scope#Benchmark}: {@code -t 2} is the
 * contended case), and what every row can be read with:
 * <ul>
 *   <li>after each iteration, the streammetrics ring events offered, applied and dropped during it (printed when
 *       there were any): under the default {@code DROP} policy a tight loop that outruns the single aggregator has
 *       its surplus dropped and counted, and a dropped record is cheaper than an applied one;</li>
 *   <li>{@code -p scrape=off,loop} (or {@code <n>ms}): the same rows while a {@link BackgroundScraper} renders the
 *       library under test to Prometheus text in a loop, for the streammetrics and client_java rows;</li>
 *   <li>{@code -p backPressure=DROP,BLOCK}: streammetrics rows whose every record is applied;</li>
 *   <li>{@code -p maxProducerRings=1} with {@code -t 2}: the second thread has no ring of its own and records through
 *       the shared multi-producer ring and the shared counter cells, as threads beyond the limit do.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Benchmark)
public abstract class RecordCostBenchmark {
    /** {@code off}, {@code loop} (scrapes back to back) or {@code <n>ms} (a pause between scrapes). */
    @Param({"off"})
    public String scrape;

    /**
     * streammetrics' policy for a full ring: {@code DROP} (the default: the surplus of a loop faster than the
     * aggregator is dropped and counted) or {@code BLOCK} (every record lands: a tight loop then runs at the
     * aggregator's pace, the cost of a record that is always applied).
     */
    @Param({"DROP"})
    public String backPressure;

    /** Threads that get a ring of their own (the engine's default 32); the rest share one ring and counter cells. */
    @Param({"32"})
    public int maxProducerRings;

    private Peers peers;
    private BackgroundScraper scraper;
    private Peers.EventTotals iterationStart;

    /** Resolves the handles the benchmark methods record on. */
    protected abstract void resolve(Peers peers);

    /** The streammetrics engine's settings (default: the engine's defaults); {@code @Param} fields are set by now. */
    protected MetricsEngine.Builder engineSettings() {
        return MetricsEngine.builder();
    }

    @Setup(Level.Trial)
    public void startPeers(BenchmarkParams params) {
        peers = Peers.start(engineSettings().backPressure(BackPressure.valueOf(backPressure))
                .maxProducerRings(maxProducerRings));
        resolve(peers);
        scraper = BackgroundScraper.start(scrape, params.getBenchmark(), peers);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        iterationStart = peers.eventTotals();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        Peers.EventTotals now = peers.eventTotals();
        if (now.published() > iterationStart.published() || now.dropped() > iterationStart.dropped()) {
            System.out.print(now.since(iterationStart) + " ");
        }
    }

    @TearDown(Level.Trial)
    public void stopPeers() throws InterruptedException {
        try {
            if (scraper != null) {
                scraper.stop();
            }
        } finally {
            peers.close();
        }
    }
}
