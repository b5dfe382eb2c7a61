package io.streammetrics.alert.notify;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(1000)).jitter(0.2).build();

    @Test
    void backoffDoublesUpToTheCapWithTheMiddleOfTheJitterBandExact() {
        assertEquals(Duration.ofMillis(100), policy.backoff(1, 0.5));
        assertEquals(Duration.ofMillis(200), policy.backoff(2, 0.5));
        assertEquals(Duration.ofMillis(800), policy.backoff(4, 0.5));
        assertEquals(Duration.ofMillis(1000), policy.backoff(5, 0.5));
        assertEquals(Duration.ofMillis(1000), policy.backoff(60, 0.5), "no overflow for many retries");
    }

    @Test
    void jitterSpreadsTheDelayByItsFraction() {
        assertEquals(Duration.ofMillis(160), policy.backoff(2, 0.0));
        Duration high = policy.backoff(2, 0.999_999);
        assertTrue(high.toMillis() == 239, high.toString());
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().jitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().initialBackoff(Duration.ZERO));
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder()
                .initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(1)).build());
        assertTrue(order.getMessage().contains("maxBackoff"), order.getMessage());
    }
}
