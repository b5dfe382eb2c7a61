package io.streammetrics.json;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWriterTest {
    @Test
    void placesCommasInNestedContainers() {
        String json = new JsonWriter().beginObject()
                .name("a").beginArray().value(1).beginObject().endObject().beginArray().endArray().value(true).endArray()
                .name("b").beginObject().name("c").value((String) null).endObject()
                .name("d").value(2.5)
                .endObject().toString();
        assertEquals("{\"a\":[1,{},[],true],\"b\":{\"c\":null},\"d\":2.5}", json);
    }

    @Test
    void escapesQuotesBackslashesControlCharactersAndLoneSurrogates() {
        String json = new JsonWriter().value("q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del\u007f ls\u2028 "
                + "lone\uDC00 pair\uD83D\uDE00 é").toString();
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 us\\u001f del\u007f ls\\u2028 "
                + "lone\\udc00 pair\uD83D\uDE00 é\"", json);
    }

    @Test
    void writesNonFiniteNumbersAsPrometheusStringsAndIntegralDoublesWithoutFraction() {
        String json = new JsonWriter().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY)
                .value(Double.NEGATIVE_INFINITY).value(3.0).value(-0.25).value(1e20).endArray().toString();
        assertEquals("[\"NaN\",\"+Inf\",\"-Inf\",3,-0.25,1.0E20]", json);
    }

    @Test
    void writesTimestampsAsRfc3339UtcAndZeroAsNull() {
        String json = new JsonWriter().beginArray().timestamp(1_767_323_045_678L).timestamp(1_767_323_045_000L)
                .timestamp(0).endArray().toString();
        assertEquals("[\"2026-01-02T03:04:05.678Z\",\"2026-01-02T03:04:05Z\",null]", json);
    }

    @Test
    void sortsMapEntriesByName() {
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", new JsonWriter().value(Map.of("b", "2", "a", "1")).toString());
    }

    @Test
    void closingWhatIsNotOpenFails() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().endObject());
    }
}
