package io.streammetrics.json;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReaderTest {
    @Test
    void readsWhatTheWriterWrites() {
        String json = new JsonWriter().beginObject().name("s").value("q\" \n\u2028é").name("n").value(2.5)
                .name("a").beginArray().value(true).value((String) null).endArray()
                .name("m").value(Map.of("k", "v")).endObject().toString();
        assertEquals(Map.of("s", "q\" \n\u2028é", "n", 2.5, "a", Arrays.asList(true, null), "m", Map.of("k", "v")),
                JsonReader.parse(json));
    }

    @Test
    void malformedTextFailsWithItsOffset() {
        for (String bad : List.of("{\"a\":1,}", "[1 2]", "\"\\u12\"", "\"abc", "{\"a\":1,\"a\":2}", "01", "\"\\")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedBeforeTheStackRunsOut() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
        assertEquals(List.of(List.of()), JsonReader.parse("[[]]"));
    }
}
