package io.ringfence.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The CPU time of the calling thread, for figures "per core" on a machine the benchmarks share:
 * JMH's scores are wall-clock, and a benchmark thread that waits for a core while other processes
 * run counts that wait as its own time. Dividing work by the thread's CPU time leaves it out.
 */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuClock() {
    }

    /** CPU time of the calling thread, in nanoseconds. */
    static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * CPU time of the whole process (every thread, the JIT's and the collector's too), in nanoseconds:
     * for work that the benchmark thread hands to other threads.
     */
    static long process() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The {@code p}-th percentile (0-100) of the first {@code n} samples, by nearest rank. */
    static long percentile(long[] samples, int n, double p) {
        if (n == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }
}
