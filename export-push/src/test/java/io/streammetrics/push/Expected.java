package io.streammetrics.push;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a database should hold after a push: query → value. {@link #assertStored} polls until every query returns
 * exactly its value (databases may take a moment to make a write queryable) and fails with the differences.
 */
public final class Expected {
    /** Runs one query that returns a single value, NaN when there is none. */
    public interface Query {
        double value(String query) throws IOException, InterruptedException;
    }

    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Expects {@code query} to return {@code value}. */
    public Expected put(String query, double value) {
        values.put(query, value);
        return this;
    }

    public int size() {
        return values.size();
    }

    /** Polls for up to 30 s until every query returns its value exactly. */
    public void assertStored(Query query, String where) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, String> wrong;
        do {
            wrong = new LinkedHashMap<>();
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                double got = query.value(entry.getKey());
                if (Double.compare(got, entry.getValue()) != 0) {
                    wrong.put(entry.getKey(), "expected " + entry.getValue() + ", got " + got);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError(wrong.size() + " of " + values.size() + " values differ in " + where + ": " + wrong);
    }
}
