package io.ringfence.insertion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.insertion.LatencyStats;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndAtMostAQuarterWide() {
        assertThat(LatencyHistogram.bucket(0)).isZero();
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        for (int b = 0; b < LatencyHistogram.BUCKETS - 1; b++) {
            long low = LatencyHistogram.lowerBound(b);
            long high = LatencyHistogram.upperBound(b);
            assertThat(LatencyHistogram.bucket(low)).as("bucket %d", b).isEqualTo(b);
            assertThat(LatencyHistogram.bucket(high)).as("bucket %d", b).isEqualTo(b);
            assertThat(LatencyHistogram.bucket(high + 1)).as("bucket %d", b).isEqualTo(b + 1);
            assertThat((double) high).as("bucket %d", b).isLessThanOrEqualTo(Math.max(3, low * 1.25));
        }
    }

    @Test
    void percentilesAreWithinAQuarterOfTheTrueValue() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        LatencyHistogram h = new LatencyHistogram();
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + random.nextInt(1_000_000);
            h.record(values[i]);
        }
        Arrays.sort(values);

        LatencyStats s = h.snapshot();

        assertThat(s.count()).isEqualTo(values.length);
        assertThat(s.maxNanos()).isEqualTo(values[values.length - 1]);
        assertThat(s.p50Nanos()).as("seed %d", seed).isBetween(values[4999], (long) (values[4999] * 1.25));
        assertThat(s.p99Nanos()).as("seed %d", seed).isBetween(values[9899], (long) (values[9899] * 1.25));
        assertThat(s.meanNanos()).isEqualTo(Arrays.stream(values).sum() / values.length);
        assertThat(new LatencyHistogram().snapshot()).isEqualTo(LatencyStats.NONE);
    }
}
