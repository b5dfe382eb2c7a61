package io.streammetrics.influx;

import io.streammetrics.MetricsEngine;
import io.streammetrics.push.Expected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushes line protocol over HTTP to a real QuestDB and reads every field back with SQL: tables per measurement,
 * tags as symbols, values exactly as the engine's snapshot gives them; through both write APIs QuestDB serves
 * (InfluxDB 1.x's {@code /write} and 2.x's {@code /api/v2/write}).
 */
class QuestDbIT {
    private static QuestDb quest;

    @BeforeAll
    static void startQuestDb() throws Exception {
        quest = new QuestDb(Files.createTempDirectory(Path.of("target"), "questdb")).start();
    }

    @AfterAll
    static void stopQuestDb() throws Exception {
        if (quest != null) {
            quest.close();
        }
    }

    @Test
    void theV1WriteApi() throws Exception {
        pushAndCompare("quest-v1", builder -> builder.database("ignored-by-questdb"));
    }

    @Test
    void theV2WriteApiAtMillisecondPrecision() throws Exception {
        pushAndCompare("quest-v2", builder -> builder.bucket("ignored-by-questdb").precision(Precision.MILLISECONDS));
    }

    private void pushAndCompare(String host, UnaryOperator<InfluxExporter.Builder> api) throws Exception {
        try (MetricsEngine engine = MetricsEngine.builder().jvmMetrics(false).build().start()) {
            InfluxItMetrics metrics = new InfluxItMetrics(engine);
            try (InfluxExporter exporter = api.apply(InfluxExporter.builder(engine).endpoint(quest.baseUrl()))
                    .externalLabel("host", host)
                    .interval(Duration.ofHours(1))
                    .build()) {
                for (int round = 1; round <= 2; round++) {
                    metrics.record(2_000);
                    assertTrue(exporter.flush(Duration.ofSeconds(30)), "QuestDB took push " + round);
                    Expected expected = new Expected();
                    for (Field field : metrics.expected(engine.snapshot(), Map.of("host", host))) {
                        expected.put(QuestDb.query(field), field.value());
                    }
                    expected.assertStored(quest::single, "QuestDB after push " + round + " (" + host + ")");
                }
            }
        }
    }
}
