package io.streammetrics.influx;

/** The unit of line-protocol timestamps, as the write APIs name it ({@code precision=}). */
public enum Precision {
    NANOSECONDS("n", "ns", 1_000_000L),
    MICROSECONDS("u", "us", 1_000L),
    MILLISECONDS("ms", "ms", 1L),
    SECONDS("s", "s", 0L);

    private final String v1;
    private final String v2;
    private final long perMilli;

    Precision(String v1, String v2, long perMilli) {
        this.v1 = v1;
        this.v2 = v2;
        this.perMilli = perMilli;
    }

    /** The {@code precision} parameter of InfluxDB 1.x's {@code /write}. */
    String v1Name() {
        return v1;
    }

    /** The {@code precision} parameter of the {@code /api/v2/write} API (InfluxDB 2.x, 3.x). */
    String v2Name() {
        return v2;
    }

    /** The precision a write API names {@code n}/{@code ns}, {@code u}/{@code us}, {@code ms} or {@code s}. */
    static Precision fromName(String name) {
        for (Precision precision : values()) {
            if (precision.v1.equals(name) || precision.v2.equals(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "' (n, ns, u, us, ms or s)");
    }

    /** An epoch-millisecond time in this unit. */
    long fromMillis(long epochMillis) {
        return perMilli == 0 ? epochMillis / 1000 : epochMillis * perMilli;
    }
}
