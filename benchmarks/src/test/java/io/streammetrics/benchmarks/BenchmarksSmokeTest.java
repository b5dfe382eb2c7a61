package io.streammetrics.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's proof that the benchmarks build and run, not a measurement: every JMH benchmark runs one 100 ms iteration
 * in this JVM (no fork, no warm-up, parameters trimmed to one value where a second only repeats the code path, and
 * two ticks of history instead of full windows for the alert evaluation), and
 * every measuring program runs with tiny sizes. A benchmark or program that throws fails the build
 * ({@code shouldFailOnError}); no figure is asserted.
 */
class BenchmarksSmokeTest {
    private static final String PACKAGE = "io\\.streammetrics\\.benchmarks\\.";

    static {
        // JMH refuses to start while another JMH run holds its lock file; a smoke run measures nothing, so a
        // benchmark running elsewhere on the machine must not fail the build.
        System.setProperty("jmh.ignoreLock", "true");
    }

    private static ChainedOptionsBuilder oneShortIteration(String include) {
        return new OptionsBuilder()
                .include(include)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .threads(1)
                .shouldFailOnError(true);
    }

    @Test
    void everyBenchmarkRunsOneShortIteration() throws RunnerException {
        Collection<RunResult> results = new Runner(oneShortIteration(PACKAGE + ".*").param("work", "0")
                .param("history", "2").build()).run();

        Set<String> ran = results.stream().map(result -> result.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = BenchmarkList.defaultList().getAll(null, List.of()).stream()
                .map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, ran, "every declared benchmark produced a result");
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0, result.getParams().getBenchmark() + " scored " + score);
        }
    }

    @Test
    void recordRowsRunWhileScraping() throws RunnerException {
        Collection<RunResult> results = new Runner(oneShortIteration(PACKAGE + "(Counter|Latency)RecordBenchmark\\."
                + "(streammetrics|clientJava)(Timer|Classic)?$").param("scrape", "loop").build()).run();
        assertEquals(4, results.size());
    }

    @Test
    void programsRunWithTinySizes() throws Exception {
        AggregatorThroughput.main(new String[] {"0.2", "1"});
        RecordToVisibleLatency.main(new String[] {"20", "100000"});
        MemoryPerSeries.main(new String[] {"20", "60", "paced", "256m"});
        AggregatorIdleCpu.main(new String[] {"1"});
    }
}
