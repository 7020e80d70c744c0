package io.ringfence.dataplane.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Up to four counts that packet threads add to without an atomic instruction: each thread adds to
 * a {@link Cell} of its own, found by its thread id in a small open-addressing array, and a read
 * sums the cells (or takes their maximum). A {@code LongAdder} costs a compare-and-swap per add even
 * without contention, and a locked instruction also waits for the stores before it: on the
 * established-flow path, which adds to two of these per packet, that was the price of three
 * atomic operations per packet.
 *
 * <p>Exact: a cell has one writer, its thread, which writes with opaque stores (never torn); a
 * reader sees every add that happened before its read (for example the adds of a thread it joined,
 * or of its own thread), and may miss adds racing with it, as with a {@code LongAdder}.
 *
 * <p>Bounded: a thread that finds no cell of its own creates one under the lock, while there are
 * fewer than {@link #MAX_CELLS}; once there are that many (threads come and go, and a cell outlives
 * its thread, since its counts must stay), the threads without a cell add to a shared cell with
 * atomic operations.
 */
final class ThreadCells {

    /** The most cells one counter holds; threads beyond share the atomic {@link #overflow} cell. */
    static final int MAX_CELLS = 64;
    // one constant handle per count (an array of handles would not be constant to the JIT)
    private static final VarHandle V0;
    private static final VarHandle V1;
    private static final VarHandle V2;
    private static final VarHandle V3;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            V0 = lookup.findVarHandle(Cell.class, "v0", long.class);
            V1 = lookup.findVarHandle(Cell.class, "v1", long.class);
            V2 = lookup.findVarHandle(Cell.class, "v2", long.class);
            V3 = lookup.findVarHandle(Cell.class, "v3", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The handle of count {@code i}; callers pass a constant, which the JIT folds. */
    private static VarHandle value(int i) {
        return switch (i) {
            case 0 -> V0;
            case 1 -> V1;
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    /** The counts of one thread: {@code v0} to {@code v3}, their meaning the owner's. */
    static final class Cell {
        /** The id of the thread that writes this cell; -1 for the shared overflow cell. */
        final long owner;
        long v0;
        long v1;
        long v2;
        long v3;

        Cell(long owner, long initialMax) {
            this.owner = owner;
            this.v2 = initialMax;
        }

        /** Adds to count {@code i} of the calling thread's own cell. */
        void add(int i, long n) {
            VarHandle v = value(i);
            if (owner < 0) {
                v.getAndAdd(this, n);
            } else {
                v.setOpaque(this, (long) v.getOpaque(this) + n);
            }
        }

        /** Raises count {@code 2} (a maximum, such as the time of the last hit) to {@code v}. */
        void max2(long v) {
            if (owner < 0) {
                long seen;
                do {
                    seen = (long) V2.getVolatile(this);
                } while (v > seen && !V2.compareAndSet(this, seen, v));
            } else if (v > v2) {
                V2.setOpaque(this, v);
            }
        }

        long get(int i) {
            return (long) value(i).getOpaque(this);
        }
    }

    /** The cells of the threads that added, by thread id (linear probing, power-of-two length). */
    private volatile Cell[] cells = new Cell[4];
    private int count; // guarded by this
    private final Cell overflow;
    private final long initialMax;

    /** @param initialMax the initial value of count 2 when the counters use it as a maximum */
    ThreadCells(long initialMax) {
        this.initialMax = initialMax;
        this.overflow = new Cell(-1, initialMax);
    }

    /** The calling thread's cell. */
    Cell mine() {
        long id = Thread.currentThread().getId();
        Cell[] cs = cells;
        Cell c = cs[(int) id & (cs.length - 1)];
        return c != null && c.owner == id ? c : find(id);
    }

    private Cell find(long id) {
        Cell[] cs = cells;
        int mask = cs.length - 1;
        for (int i = (int) id & mask; cs[i] != null; i = (i + 1) & mask) {
            if (cs[i].owner == id) {
                return cs[i];
            }
        }
        return create(id);
    }

    private synchronized Cell create(long id) {
        Cell[] cs = cells;
        int mask = cs.length - 1;
        int i = (int) id & mask;
        for (; cs[i] != null; i = (i + 1) & mask) {
            if (cs[i].owner == id) {
                return cs[i];
            }
        }
        if (count == MAX_CELLS) {
            return overflow;
        }
        Cell c = new Cell(id, initialMax);
        if (2 * (count + 1) > cs.length) {
            // at most half full: a thread finds its cell in one or two probes
            Cell[] grown = new Cell[2 * cs.length];
            for (Cell old : cs) {
                if (old != null) {
                    put(grown, old);
                }
            }
            put(grown, c);
            cells = grown;
        } else {
            // a copy, published by the volatile write: a reader never sees a cell before its fields
            Cell[] copy = cs.clone();
            put(copy, c);
            cells = copy;
        }
        count++;
        return c;
    }

    private static void put(Cell[] cs, Cell c) {
        int mask = cs.length - 1;
        int i = (int) c.owner & mask;
        while (cs[i] != null) {
            i = (i + 1) & mask;
        }
        cs[i] = c;
    }

    /** The sum of count {@code i} over all cells. */
    long sum(int i) {
        long sum = overflow.get(i);
        for (Cell c : cells) {
            if (c != null) {
                sum += c.get(i);
            }
        }
        return sum;
    }

    /** The maximum of count 2 over all cells. */
    long max2() {
        long max = overflow.get(2);
        for (Cell c : cells) {
            if (c != null) {
                max = Math.max(max, c.get(2));
            }
        }
        return max;
    }
}
