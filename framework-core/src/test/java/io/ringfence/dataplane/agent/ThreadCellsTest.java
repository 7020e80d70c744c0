package io.ringfence.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadCells} counts exactly: every add of every thread is in the sum once the threads are
 * joined, including when more threads add than a counter has cells for (they share the atomic cell).
 */
class ThreadCellsTest {

    @Test
    void sumsAndMaximaOfOneThread() {
        ThreadCells cells = new ThreadCells(Long.MIN_VALUE);
        assertThat(cells.sum(0)).isZero();
        assertThat(cells.max2()).isEqualTo(Long.MIN_VALUE);
        ThreadCells.Cell c = cells.mine();
        c.add(0, 1);
        c.add(1, 60);
        c.max2(7);
        c.max2(5);
        assertThat(cells.mine()).isSameAs(c);
        assertThat(cells.sum(0)).isEqualTo(1);
        assertThat(cells.sum(1)).isEqualTo(60);
        assertThat(cells.max2()).isEqualTo(7);
    }

    @Test
    void manyThreadsCountExactlyBeyondTheCellsACounterHolds() throws InterruptedException {
        int threads = ThreadCells.MAX_CELLS + 16;
        int adds = 20_000;
        ThreadCells cells = new ThreadCells(Long.MIN_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    ThreadCells.Cell c = cells.mine();
                    c.add(0, 1);
                    c.add(1, 3);
                    c.max2(id * adds + i);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(cells.sum(0)).isEqualTo((long) threads * adds);
        assertThat(cells.sum(1)).isEqualTo(3L * threads * adds);
        assertThat(cells.max2()).isEqualTo((long) threads * adds - 1);
    }
}
