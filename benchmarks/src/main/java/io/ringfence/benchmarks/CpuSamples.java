package io.ringfence.benchmarks;

import java.util.Arrays;

/**
 * CPU times of the measured invocations of a sample-time benchmark, read just around the measured
 * call ({@link CpuClock}); one benchmark thread.
 */
final class CpuSamples {

    boolean measuring;
    private long[] samples = new long[1024];
    private int count;
    private long started;

    /** Called last before the measured call. */
    void start() {
        started = CpuClock.now();
    }

    /** Called first after it. */
    void stop() {
        long spent = CpuClock.now() - started;
        if (measuring) {
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = spent;
        }
    }

    Percentiles percentiles() {
        return new Percentiles(count, micros(50), micros(99), micros(99.9), micros(100));
    }

    private double micros(double p) {
        return CpuClock.percentile(samples, count, p) / 1e3;
    }

    /**
     * Percentiles of the CPU times, in microseconds.
     *
     * @param samples invocations measured
     * @param p50Us   median
     * @param p99Us   99th percentile
     * @param p999Us  99.9th percentile
     * @param maxUs   the longest
     */
    public record Percentiles(int samples, double p50Us, double p99Us, double p999Us, double maxUs) {
    }
}
