package io.streammetrics.influx;

import java.util.Map;

/** One field value a database must hold after a push: measurement, tags, field key, value. */
record Field(String measurement, Map<String, String> tags, String field, double value) {
}
