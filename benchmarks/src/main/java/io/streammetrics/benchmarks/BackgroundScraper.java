package io.streammetrics.benchmarks;

import io.streammetrics.prometheus.TextFormat;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A thread that scrapes one library to Prometheus text in a loop while a record benchmark runs, over a
 * {@link ScrapeFixture} of 1,000 series (100 timers, 900 counters) plus the benchmarked series: streammetrics rows
 * are scraped as streammetrics' HTTP server scrapes text (straight from the store), client_java rows through client_java's registry.
 */
final class BackgroundScraper {
    private final ScrapeFixture fixture;
    private final boolean streammetrics;
    private final long pauseMillis;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private long scrapes;
    private long startNanos;

    private BackgroundScraper(ScrapeFixture fixture, boolean streammetrics, long pauseMillis) {
        this.fixture = fixture;
        this.streammetrics = streammetrics;
        this.pauseMillis = pauseMillis;
        this.thread = new Thread(this::loop, "background-scraper");
        this.thread.setDaemon(true);
    }

    /**
     * Starts scraping for {@code benchmark} (JMH's full method name) as {@code mode} says: {@code off} (returns
     * null), {@code loop} (back to back) or {@code <n>ms} (a pause between scrapes, which takes most of the CPU
     * sharing out on a small machine).
     *
     * @throws IllegalArgumentException for a row of a library other than streammetrics and client_java
     */
    static BackgroundScraper start(String mode, String benchmark, Peers peers) {
        if (mode.equals("off")) {
            return null;
        }
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        if (!method.startsWith("streammetrics") && !method.startsWith("clientJava")) {
            throw new IllegalArgumentException("scrape=" + mode + " applies to the streammetrics and clientJava rows, not "
                    + method);
        }
        long pause = mode.equals("loop") ? 0 : Long.parseLong(mode.replace("ms", ""));
        BackgroundScraper scraper = new BackgroundScraper(new ScrapeFixture(peers, 1, 100, 9, 100),
                method.startsWith("streammetrics"), pause);
        scraper.startNanos = System.nanoTime();
        scraper.thread.start();
        return scraper;
    }

    private void loop() {
        long done = 0;
        try {
            while (running) {
                if ((streammetrics ? fixture.streammetricsStore(TextFormat.PROMETHEUS_TEXT) : fixture.clientJava(true)) == 0) {
                    throw new IllegalStateException("empty scrape");
                }
                done++;
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scrapes = done;
    }

    /** Stops the thread, prints the scrape rate, and rethrows what made a scrape fail so that the run fails. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%n[scraper: %,d scrapes in %.1f s, %.0f a second]%n", scrapes, seconds, scrapes / seconds);
        if (failure != null) {
            throw failure;
        }
    }
}
