package io.streammetrics.internal.exponential;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucket arithmetic both formats share: bounds, index, downscaling by shifts, Prometheus' numbering. */
class ExponentialScaleTest {
    @Test
    void powersOfTwoAreUpperInclusiveBounds() {
        for (int scale = 0; scale <= ExponentialScale.MAX_SCALE; scale++) {
            for (int exponent = -40; exponent <= 40; exponent++) {
                double value = Math.scalb(1.0, exponent);
                int index = ExponentialScale.indexOf(value, scale);
                assertEquals((exponent << scale) - 1, index, "2^" + exponent + " at scale " + scale);
                assertEquals(value, ExponentialScale.lowerBound(index + 1, scale), "upper bound of its bucket");
            }
        }
        // Below scale 0 a bucket spans 2^(2^-scale) powers of two: 2^8 ends bucket 1 at scale -3 ((2^0, 2^8]).
        assertEquals(0, ExponentialScale.indexOf(256, -3));
        assertEquals(1, ExponentialScale.indexOf(257, -3));
    }

    @Test
    void everyValueLiesBetweenItsBucketsBounds() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 200_000; n++) {
            int scale = random.nextInt(ExponentialScale.MIN_SCALE, ExponentialScale.MAX_SCALE + 1);
            double value = Math.pow(10, random.nextDouble(-12, 12));
            int index = ExponentialScale.indexOf(value, scale);
            assertTrue(ExponentialScale.lowerBound(index, scale) < value, () -> value + " at scale " + scale);
            assertTrue(value <= ExponentialScale.lowerBound(index + 1, scale), () -> value + " at scale " + scale);
        }
    }

    @Test
    void loweringTheScaleByDIsAShiftRightByD() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < 200_000; n++) {
            int scale = random.nextInt(ExponentialScale.MIN_SCALE, ExponentialScale.MAX_SCALE + 1);
            int lower = random.nextInt(ExponentialScale.MIN_SCALE, scale + 1);
            double value = Math.pow(10, random.nextDouble(-12, 12));
            assertEquals(ExponentialScale.indexOf(value, lower),
                    ExponentialScale.indexOf(value, scale) >> (scale - lower), value + " at " + scale + " -> " + lower);
        }
    }

    @Test
    void prometheusNumbersTheSameBucketOneHigher() {
        // Prometheus' bucket 0 is (1/base, 1]: 1.0 is in it; OpenTelemetry's bucket -1 is the same one.
        assertEquals(-1, ExponentialScale.indexOf(1.0, 3));
        assertEquals(0, ExponentialScale.prometheusIndex(ExponentialScale.indexOf(1.0, 3)));
        assertEquals(1, ExponentialScale.prometheusIndex(ExponentialScale.indexOf(1.01, 3)));
        assertEquals(Math.pow(2, 1.0 / 8), ExponentialScale.base(3), 1e-15);
    }
}
