package io.streammetrics.json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal streaming JSON writer for the small documents the engine sends and serves (alert notifications, health
 * reports): no reflection, no dependency. Commas are placed by the writer, so callers only say what comes next.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("status").value("ok").endObject().toString();
 * }</pre>
 *
 * <p>Strings are escaped per RFC 8259; U+2028/U+2029 and unpaired surrogates are also written as {@code \\uXXXX}
 * so that the text is valid UTF-8 and safe to embed in JavaScript. Not thread-safe; misuse (a value where a name is
 * expected) is not detected.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    // One bit per open container, set once it has a first element: decides whether a comma is due.
    private long hasElement;
    private int depth;
    private boolean afterName;

    /** Opens an object. */
    public JsonWriter beginObject() {
        return open('{');
    }

    /** Closes the innermost object. */
    public JsonWriter endObject() {
        return close('}');
    }

    /** Opens an array. */
    public JsonWriter beginArray() {
        return open('[');
    }

    /** Closes the innermost array. */
    public JsonWriter endArray() {
        return close(']');
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** Writes a string, or {@code null}. */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** Writes an integer. */
    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    /**
     * Writes a number. JSON has no NaN or infinities: those are written as the strings {@code "NaN"}, {@code "+Inf"}
     * and {@code "-Inf"}, as Prometheus' HTTP API writes sample values.
     */
    public JsonWriter value(double value) {
        if (Double.isNaN(value)) {
            return value("NaN");
        }
        if (Double.isInfinite(value)) {
            return value(value > 0 ? "+Inf" : "-Inf");
        }
        separate();
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            // 3.0 reads better as 3, and is the same JSON number.
            out.append((long) value);
        } else {
            out.append(value);
        }
        return this;
    }

    /**
     * Writes {@code json}, a complete JSON value encoded by another writer (for example a report's own
     * {@code toJson()}), as the next value. It is not checked.
     */
    public JsonWriter rawValue(String json) {
        separate();
        out.append(json);
        return this;
    }

    /** Writes a boolean. */
    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /**
     * Writes an instant as an RFC 3339 string in UTC ({@code 2026-01-02T03:04:05.678Z}), or {@code null} when
     * {@code epochMillis} is 0 (the alert types' "never").
     */
    public JsonWriter timestamp(long epochMillis) {
        return value(epochMillis == 0 ? null : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis)));
    }

    /** Writes a string map as an object, names sorted so that the output is deterministic. */
    public JsonWriter value(Map<String, String> map) {
        beginObject();
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            name(entry.getKey()).value(entry.getValue());
        }
        return endObject();
    }

    /** The document written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        if (depth == Long.SIZE) {
            throw new IllegalStateException("JSON nested deeper than " + Long.SIZE + " levels");
        }
        out.append(bracket);
        depth++;
        hasElement &= ~(1L << depth - 1);
        return this;
    }

    private JsonWriter close(char bracket) {
        if (depth == 0) {
            throw new IllegalStateException("no open JSON container to close with " + bracket);
        }
        depth--;
        out.append(bracket);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            long bit = 1L << depth - 1;
            if ((hasElement & bit) != 0) {
                out.append(',');
            }
            hasElement |= bit;
        }
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || unpairedSurrogate(text, i)) {
                        unicodeEscape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean unpairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
