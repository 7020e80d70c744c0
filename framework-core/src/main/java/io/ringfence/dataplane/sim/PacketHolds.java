package io.ringfence.dataplane.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The vNICs whose packets wait while their VM changes host, for {@link SimulatedDataCenter#process}.
 *
 * <p>A held vNIC has a gate, a read-write lock whose write side the holder keeps: its packets take the read
 * side before they are routed, so they wait for the holder and then see the routing it left. A vNIC that is
 * not held costs a packet one look into an (almost always empty) map and two striped counts: the packets
 * that routed without a gate are counted per epoch, and a new hold flips the epoch and waits for the
 * packets of the previous one, which may have looked for a gate before it was there. A packet that meets
 * a gate leaves the count before it waits, so holds never wait for each other's packets.
 */
final class PacketHolds {

    private final ConcurrentHashMap<String, ReentrantReadWriteLock> gates = new ConcurrentHashMap<>();
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

    /** The side of the vNIC's gate its packets wait at; null when the vNIC is not held. */
    Lock gate(String vnicId) {
        ReentrantReadWriteLock gate = gates.isEmpty() ? null : gates.get(vnicId);
        return gate == null ? null : gate.readLock();
    }

    /** Holds the vNICs' packets, and returns once no packet of theirs is being routed. */
    synchronized HostDataPlanes.PacketHold hold(Collection<String> vnicIds) {
        List<String> held = new ArrayList<>();
        List<ReentrantReadWriteLock> locks = new ArrayList<>();
        for (String v : vnicIds) {
            ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
            gate.writeLock().lock();
            if (gates.putIfAbsent(v, gate) != null) {
                gate.writeLock().unlock();
                release(held, locks);
                throw new IllegalStateException("the packets of vNIC " + v + " are held already");
            }
            held.add(v);
            locks.add(gate);
        }
        // packets that looked for a gate before it was there are still counted in the old epoch
        int old = epoch & 1;
        epoch++;
        while (routing[old].sum() != 0) {
            Thread.yield();
        }
        return () -> release(held, locks);
    }

    private void release(List<String> held, List<ReentrantReadWriteLock> locks) {
        for (int i = 0; i < held.size(); i++) {
            gates.remove(held.get(i), locks.get(i));
            locks.get(i).writeLock().unlock();
        }
    }
}
