package io.streammetrics.prometheus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryParametersTest {
    @Test
    void decodesRepeatedNamesInOrderPlusAsSpaceAndNamesWithoutValues() {
        Map<String, List<String>> parameters = QueryParameters.parse("w=rate(a%5B5s%5D)&since=3&w=b+c&flag&&w=");
        assertEquals(List.of("rate(a[5s])", "b c", ""), parameters.get("w"));
        assertEquals(List.of("3"), parameters.get("since"));
        assertEquals(List.of(""), parameters.get("flag"));
        assertEquals(List.of("w", "since", "flag"), List.copyOf(parameters.keySet()));
    }

    @Test
    void noQueryIsNoParameters() {
        assertTrue(QueryParameters.parse(null).isEmpty());
        assertTrue(QueryParameters.parse("").isEmpty());
    }

    @Test
    void aMalformedPercentEncodingIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueryParameters.parse("since=1&w=rate(x%zz)"));
        assertEquals("malformed query parameter 'w=rate(x%zz)'", e.getMessage());
    }

    @Test
    void theValuesCannotBeChangedByACaller() {
        Map<String, List<String>> parameters = QueryParameters.parse("a=1");
        assertThrows(UnsupportedOperationException.class, () -> parameters.get("a").add("2"));
        assertThrows(UnsupportedOperationException.class, () -> parameters.put("b", List.of()));
    }
}
