package io.ringfence.insertion.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The calls into one function instance, each bounded by a deadline that the caller never waits past.
 *
 * <h2>Why a hand-off</h2>
 * A data-plane thread that called partner code itself could not get away from a call that hangs:
 * Java cannot unblock or stop a thread from the outside (interrupts are ignored by a busy loop, and
 * a watchdog can only notice). So the caller hands each call to one of the instance's own threads
 * and waits for the result until the deadline; past it, the caller <em>abandons</em> the call and
 * goes on, and the instance's thread stays with the call until it returns.
 *
 * <h2>Bounded</h2>
 * Each instance has at most {@code threads} threads and {@code queue} waiting calls: an instance
 * whose calls all hang holds that many threads and no more, and its further calls fail at once
 * (queue full) or at their deadline (waiting behind hung calls) — they never stall the caller, and
 * the circuit breaker soon stops sending it new flows. Calls queued behind and abandoned before
 * they start are never run.
 *
 * <h2>Cost</h2>
 * A hand-off is two thread wake-ups when both sides park. The caller spins for {@code callerSpin}
 * before parking, which saves its own wake-up when the function answers quickly; an idle thread of
 * the instance may spin for {@code workerSpin} for the next call before parking, which saves the
 * other one under steady traffic (at the price of a busy core).
 *
 * <h2>Closes</h2>
 * Closing a session is a task the caller does not wait for ({@link #submit}). Closes come in bursts
 * (every session of every flow an expiry sweep, a rule change or a vNIC leaving ends at once), so they
 * wait in a queue of their own and enter the instance's queue only while it is at most half full:
 * a burst never takes the room that calls need, and no close is dropped for want of room.
 *
 * <h2>Ownership</h2>
 * What an abandoned call returns (a session opened too late) or works on (the session whose call
 * hung) is handed to its {@code afterAbandoned} action, run on the instance's thread when the call
 * finally returns (or instead of it, if it never started): that is where such a session is closed,
 * never concurrently with a call in flight.
 */
final class PartnerCalls {

    private static final System.Logger LOG = System.getLogger(PartnerCalls.class.getName());

    /** Partner code. */
    @FunctionalInterface
    interface Task<T> {
        T run() throws Exception;
    }

    /** Threads idle for this long end (an instance that sees no traffic, or one that left but is still held). */
    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor pool;
    private final long spinNanos;
    /** Submitted tasks waiting for the instance's queue to be at most half full. */
    private final ConcurrentLinkedQueue<Runnable> deferred = new ConcurrentLinkedQueue<>();
    private final int halfQueue;

    /**
     * @param threads         the instance's threads at most
     * @param queue           calls waiting for a thread at most
     * @param callerSpinNanos how long a caller spins for the result before parking
     * @param workerSpinNanos how long an idle thread spins for the next call before parking
     */
    PartnerCalls(String name, int threads, int queue, long callerSpinNanos, long workerSpinNanos) {
        this.pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                workerSpinNanos > 0 ? new SpinningQueue(queue, workerSpinNanos) : new LinkedBlockingQueue<>(queue),
                daemonThreads(name)) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                admitDeferred(); // room may have freed for deferred tasks
            }
        };
        pool.allowCoreThreadTimeOut(true);
        this.spinNanos = callerSpinNanos;
        this.halfQueue = queue / 2;
    }

    /**
     * Runs {@code task} on one of the instance's threads and waits for it, at most {@code timeoutNanos}
     * from now (a caller that is interrupted stops waiting at once, and stays interrupted).
     *
     * @param afterAbandoned what to do with the task's result (null if it threw or never ran) when the
     *                       caller abandoned it; runs on the instance's thread
     */
    <T> Call<T> call(Task<T> task, long timeoutNanos, Consumer<? super T> afterAbandoned) {
        Call<T> call = new Call<>(task, afterAbandoned);
        long start = System.nanoTime();
        try {
            pool.execute(call);
        } catch (RejectedExecutionException e) {
            call.refused(pool.isShutdown() ? Call.Outcome.GONE : Call.Outcome.OVERLOADED, start);
            return call;
        }
        call.await(start, start + timeoutNanos, spinNanos);
        return call;
    }

    /**
     * Runs {@code task} on one of the instance's threads without waiting for it: at once while the
     * instance's queue is at most half full, else as soon as it is (see "Closes" above).
     *
     * @return false when the instance's threads are shut down: the task will not run
     */
    boolean submit(Runnable task) {
        if (pool.isShutdown()) {
            return false;
        }
        deferred.add(task);
        admitDeferred();
        return true;
    }

    /**
     * Moves deferred tasks into the instance's queue while it is at most half full. Called after each
     * submit and after each task the threads run: a task left deferred means a queue over half full, whose
     * tasks will call this again as they finish, so none is left behind.
     */
    private void admitDeferred() {
        while (!deferred.isEmpty() && pool.getQueue().size() <= halfQueue) {
            Runnable task = deferred.poll();
            if (task == null) {
                return;
            }
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                if (!pool.isShutdown()) {
                    deferred.add(task); // filled up since we looked: a later task that finishes admits it
                }
                return;
            }
        }
    }

    /** Threads started so far (alive or hung): never more than the bound. */
    int threads() {
        return pool.getPoolSize();
    }

    /** Refuses further calls; queued ones still run, then idle threads end (hung ones when they return). */
    void shutdown() {
        pool.shutdown();
    }

    /**
     * A work queue on which an idle thread polls for a while before it parks: under steady traffic the
     * instance's threads never park, so a hand-off costs no wake-up, at the price of a core kept busy
     * for up to the spin after each call.
     */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        private final long spinNanos;

        SpinningQueue(int capacity, long spinNanos) {
            super(capacity);
            this.spinNanos = spinNanos;
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            long start = System.nanoTime();
            long spin = Math.min(spinNanos, unit.toNanos(timeout));
            for (int i = 1; ; i++) {
                Runnable r = poll();
                if (r != null) {
                    return r;
                }
                if (System.nanoTime() - start >= spin) {
                    break;
                }
                pause(i);
            }
            return super.poll(unit.toNanos(timeout) - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * One step of a spin: a CPU hint, and every 64th step a yield, so that a spinner does not keep the
     * thread it waits for off the core when there are more runnable threads than cores (a yield returns
     * at once when there are not).
     */
    private static void pause(int step) {
        if ((step & 63) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One call, and then its outcome. */
    static final class Call<T> implements Runnable {

        /** How a call ended. */
        enum Outcome {
            /** The task returned (possibly null) within the deadline. */
            RETURNED,
            /** The task threw within the deadline. */
            THREW,
            /** The deadline passed first: the call is abandoned. */
            TIMED_OUT,
            /** The instance's queue was full: the call never started. */
            OVERLOADED,
            /** The instance's threads are shut down (it left): the call never started. */
            GONE
        }

        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;

        private final Task<T> task;
        private final Consumer<? super T> afterAbandoned;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private volatile Thread waiter;
        // written by the instance's thread before state becomes DONE, read by the caller after it saw DONE
        private T value;
        private Throwable error;
        // the caller's own
        private Outcome outcome;
        private long nanos;

        private Call(Task<T> task, Consumer<? super T> afterAbandoned) {
            this.task = task;
            this.afterAbandoned = afterAbandoned;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                abandoned(null);
                return;
            }
            T v = null;
            Throwable e = null;
            try {
                v = task.run();
            } catch (Throwable t) { // partner code: anything, including errors of a bundle going away
                e = t;
            }
            value = v;
            error = e;
            if (state.compareAndSet(RUNNING, DONE)) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            } else {
                abandoned(v);
            }
        }

        private void abandoned(T v) {
            try {
                afterAbandoned.accept(v);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "cleaning up after an abandoned call failed", t);
            }
        }

        private void refused(Outcome why, long start) {
            outcome = why;
            nanos = System.nanoTime() - start;
        }

        private void await(long start, long deadline, long spinNanos) {
            if (spinNanos > 0) {
                long spinUntil = Math.min(deadline, start + spinNanos);
                for (int i = 1; state.get() != DONE && System.nanoTime() - spinUntil < 0; i++) {
                    pause(i);
                }
            }
            if (state.get() != DONE) {
                // Dekker with run(): we publish the waiter then re-read the state, it publishes DONE then
                // reads the waiter; one of us sees the other, so a completion is never missed
                waiter = Thread.currentThread();
                while (state.get() != DONE) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || Thread.currentThread().isInterrupted()) {
                        int s = state.get();
                        if (s != DONE && state.compareAndSet(s, ABANDONED)) {
                            outcome = Outcome.TIMED_OUT;
                            nanos = System.nanoTime() - start;
                            return;
                        }
                        continue;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
            outcome = error == null ? Outcome.RETURNED : Outcome.THREW;
            nanos = System.nanoTime() - start;
        }

        Outcome outcome() {
            return outcome;
        }

        /** What the task returned, when {@link Outcome#RETURNED}. */
        T value() {
            return value;
        }

        /** What the task threw, when {@link Outcome#THREW}. */
        Throwable error() {
            return error;
        }

        /** From the hand-off to the outcome, as the caller saw it. */
        long nanos() {
            return nanos;
        }
    }
}
