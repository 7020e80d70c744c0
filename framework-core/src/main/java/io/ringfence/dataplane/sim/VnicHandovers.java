package io.ringfence.dataplane.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The vNICs changing host, for {@link SimulatedDataCenter#process}: while one is held its packets wait, and
 * once released they go to the host the handover names (until the model says so itself).
 *
 * <p>A vNIC changing host has an entry with a gate, a read-write lock whose write side the mover takes to
 * hold the packets: they take the read side before they are routed, so they wait for the mover and then
 * go where it sent them. A vNIC that is not changing host costs a packet one look into an (almost always
 * empty) map and two striped counts: the packets that routed without an entry are counted per epoch, and a
 * new handover flips the epoch and waits for the packets of the previous one, which may have looked for an
 * entry before it was there. A packet that meets an entry leaves the count before it waits, so handovers
 * never wait for each other's packets.
 */
final class VnicHandovers {

    /** One vNIC changing host. */
    static final class Entry {
        final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
        /** Where its packets go once released; null: where the model says. */
        volatile String host;
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder[] routing = {new LongAdder(), new LongAdder()};
    private volatile int epoch;

    /** A packet starts: counted in the current epoch, whose parity it gives back for {@link #exit}. */
    int enter() {
        int e = epoch & 1;
        routing[e].increment();
        return e;
    }

    /** The packet of {@link #enter} is decided, or is about to wait at a gate. */
    void exit(int parity) {
        routing[parity].decrement();
    }

    /** The vNIC's entry while it changes host; null otherwise. */
    Entry entry(String vnicId) {
        return entries.isEmpty() ? null : entries.get(vnicId);
    }

    /**
     * Starts handing the vNICs over, their packets held; returns once no packet of theirs is being routed.
     *
     * @throws IllegalStateException when one of them is being handed over already
     */
    synchronized HostDataPlanes.Handover start(Collection<String> vnicIds) {
        List<String> ids = new ArrayList<>();
        List<Entry> taken = new ArrayList<>();
        for (String v : vnicIds) {
            Entry e = new Entry();
            e.gate.writeLock().lock();
            if (entries.putIfAbsent(v, e) != null) {
                e.gate.writeLock().unlock();
                end(ids, taken);
                throw new IllegalStateException("vNIC " + v + " is being handed over already");
            }
            ids.add(v);
            taken.add(e);
        }
        // packets that looked for an entry before it was there are still counted in the old epoch
        int old = epoch & 1;
        epoch++;
        while (routing[old].sum() != 0) {
            Thread.yield();
        }
        return new HostDataPlanes.Handover() {
            @Override
            public void hold() {
                taken.forEach(e -> e.gate.writeLock().lock());
            }

            @Override
            public void release(String hostId) {
                taken.forEach(e -> {
                    e.host = hostId;
                    e.gate.writeLock().unlock();
                });
            }

            @Override
            public void close() {
                end(ids, taken);
            }
        };
    }

    /** Drops the entries (packets go where the model says), letting held packets go. */
    private void end(List<String> ids, List<Entry> taken) {
        for (int i = 0; i < ids.size(); i++) {
            Entry e = taken.get(i);
            entries.remove(ids.get(i), e);
            if (e.gate.isWriteLockedByCurrentThread()) {
                e.host = null;
                e.gate.writeLock().unlock();
            }
        }
    }
}
