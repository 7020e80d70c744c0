package io.ringfence.dataplane.conntrack;

import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One tracked flow: its key in the original direction, its state, the verdict that allowed it
 * (the id of the allowing rule and the rule-set generation it was decided on), its counters per
 * direction and its times (nanoseconds on the tracker's clock).
 *
 * <p>Compact by design, since a host tracks up to millions of them: the key is held as primitive
 * fields (addresses as two longs each, ports as chars) rather than as a {@link FlowKey} with its
 * address objects, which {@link #key()} builds on demand; the state is its ordinal, sharing a byte
 * with two flags; the expiry is derived from the last packet's time and the state's timeout. An
 * IPv4 flow does not store the high halves of its addresses (always zero): 112 bytes per IPv4 flow and
 * 128 per IPv6 flow on a 64-bit JVM with compressed pointers, the {@link FlowAttachment} reference
 * included.
 *
 * <p>Thread-safety: the tracker mutates a flow only while holding its lock ({@code lock()}); the
 * getters take the same lock, so each getter returns a consistent value. {@link ConnectionTracker#flows}
 * hands out copies, which do not change. The lock is a bit of the status byte, taken with one
 * compare-and-swap and let go with a release store: a Java monitor costs two compare-and-swaps (enter
 * and exit), and every packet of an established flow takes the lock once. It is not reentrant, and
 * it is not the flow's monitor: code that updates a flow must go through {@code lock()}, never
 * {@code synchronized (flow)}.
 */
public abstract sealed class Flow permits Flow.V4, Flow.V6 {

    private static final FlowState[] STATES = FlowState.values();
    /** {@link #status}: the state's ordinal in the low bits... */
    private static final int STATE_MASK = 0x0F;
    /** ...whether the responder sent the first FIN... */
    private static final int CLOSER_IS_REPLY = 0x10;
    /** ...whether the tracker removed the flow... */
    private static final int REMOVED = 0x20;
    /** ...and whether a thread holds the flow's lock. */
    private static final int LOCKED = 0x40;
    /** Spins on a held lock before yielding the core; critical sections are a few field updates. */
    private static final int SPINS = 100;
    private static final VarHandle STATUS;

    static {
        if (STATES.length > STATE_MASK + 1) {
            throw new ExceptionInInitializerError("the flow states no longer fit in the status byte");
        }
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Flow.class, "status", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String vnicId;
    private final boolean ipv6;
    /** The original direction is IN (else OUT). */
    private final boolean in;
    private final byte protocol;
    private final char sourcePort;
    private final char destinationPort;
    private final long sourceLow;
    private final long destinationLow;
    /** Hash of the flow's key (the same for both sides), for the tracker's index. */
    final int hash;
    private final String ruleId;
    private final long generation;
    private final long created;
    /** The tracker's timeouts by state ordinal (shared, never written). */
    private final long[] timeouts;
    /**
     * The state, who closed first, whether the flow was removed and its lock, in one byte (see
     * {@link #STATE_MASK}): more fields would take the record past 112 (IPv4) and 128 (IPv6) bytes
     * with the attachment reference. Written under the lock (but for taking and letting go of it), which every write keeps set.
     */
    private byte status;
    private long lastSeen;
    private long originalPackets;
    private long originalBytes;
    private long replyPackets;
    private long replyBytes;
    /** What the data plane keeps with the flow; null for most. Volatile: the fast path reads it without the lock. */
    private volatile FlowAttachment attachment;

    /**
     * A new flow: an IPv4 one if {@code ipv6} is false (the high halves of its addresses must then be
     * zero, as {@link IpPrefix} holds an IPv4 address), else an IPv6 one.
     */
    static Flow of(String vnicId, boolean ipv6, boolean out, int protocol, long sourceHigh, long sourceLow,
                   long destinationHigh, long destinationLow, int sourcePort, int destinationPort, int hash,
                   FlowState state, String ruleId, long generation, long now, long[] timeouts) {
        if (ipv6) {
            return new V6(vnicId, out, protocol, sourceHigh, sourceLow, destinationHigh, destinationLow, sourcePort,
                    destinationPort, hash, state, ruleId, generation, now, timeouts);
        }
        if (sourceHigh != 0 || destinationHigh != 0) {
            throw new IllegalArgumentException("an IPv4 flow's addresses have no high half");
        }
        return new V4(vnicId, out, protocol, sourceLow, destinationLow, sourcePort, destinationPort, hash, state,
                ruleId, generation, now, timeouts);
    }

    private Flow(String vnicId, boolean ipv6, boolean out, int protocol, long sourceLow, long destinationLow,
                 int sourcePort, int destinationPort, int hash, FlowState state, String ruleId, long generation,
                 long now, long[] timeouts) {
        this.vnicId = vnicId;
        this.ipv6 = ipv6;
        this.in = !out;
        this.protocol = (byte) protocol;
        this.sourceLow = sourceLow;
        this.destinationLow = destinationLow;
        this.sourcePort = (char) sourcePort;
        this.destinationPort = (char) destinationPort;
        this.hash = hash;
        this.status = (byte) state.ordinal();
        this.ruleId = ruleId;
        this.generation = generation;
        this.created = now;
        this.lastSeen = now;
        this.timeouts = timeouts;
    }

    private Flow(Flow f) {
        this.vnicId = f.vnicId;
        this.ipv6 = f.ipv6;
        this.in = f.in;
        this.protocol = f.protocol;
        this.sourceLow = f.sourceLow;
        this.destinationLow = f.destinationLow;
        this.sourcePort = f.sourcePort;
        this.destinationPort = f.destinationPort;
        this.hash = f.hash;
        this.ruleId = f.ruleId;
        this.generation = f.generation;
        this.created = f.created;
        this.timeouts = f.timeouts;
        this.status = (byte) (f.status & ~LOCKED);
        this.lastSeen = f.lastSeen;
        this.originalPackets = f.originalPackets;
        this.originalBytes = f.originalBytes;
        this.replyPackets = f.replyPackets;
        this.replyBytes = f.replyBytes;
    }

    /** The key of the packet that created the flow; replies match its {@link FlowKey#reverse()}. */
    public FlowKey key() {
        IpFamily family = ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
        return new FlowKey(vnicId, in ? Direction.IN : Direction.OUT, protocol & 0xFF,
                IpPrefix.host(family, sourceHigh(), sourceLow), IpPrefix.host(family, destinationHigh(), destinationLow),
                sourcePort, destinationPort);
    }

    /** The vNIC the flow crosses. */
    public String vnicId() {
        return vnicId;
    }

    /**
     * The direction the packet that created the flow crossed the vNIC in: a packet crossing in this
     * direction is on the original side, one crossing the other way is a reply.
     *
     * @since 0.3.0
     */
    public Direction direction() {
        return in ? Direction.IN : Direction.OUT;
    }

    /**
     * What the data plane attached to the flow when it created it; null when nothing is, or after
     * {@link #detach}. It stays after the flow is removed. One volatile read, for the fast path.
     *
     * @since 0.3.0
     */
    public FlowAttachment attachment() {
        return attachment;
    }

    /**
     * Takes {@code expected} off the flow, if it is still attached: a flow still in the table will not
     * tell it of its removal (one removed already has told it).
     *
     * @return true when it was attached and is now taken off
     * @since 0.3.0
     */
    public boolean detach(FlowAttachment expected) {
        lock();
        try {
            if (expected == null || attachment != expected) {
                return false;
            }
            attachment = null;
            return true;
        } finally {
            unlock();
        }
    }

    /** The id of the rule that allowed the flow (may be null when the caller has none). */
    public String ruleId() {
        return ruleId;
    }

    /** The generation of the vNIC's rule set the flow was allowed by. */
    public long generation() {
        return generation;
    }

    /** When the flow was created. */
    public long created() {
        return created;
    }

    public FlowState state() {
        lock();
        try {
            return stateLocked();
        } finally {
            unlock();
        }
    }

    /** When the last valid packet of the flow was seen. */
    public long lastSeen() {
        lock();
        try {
            return lastSeen;
        } finally {
            unlock();
        }
    }

    /** The time from which the flow counts as expired (its state's timeout after {@link #lastSeen()}). */
    public long expiresAt() {
        lock();
        try {
            return lastSeen + timeouts[status & STATE_MASK];
        } finally {
            unlock();
        }
    }

    public long originalPackets() {
        lock();
        try {
            return originalPackets;
        } finally {
            unlock();
        }
    }

    public long originalBytes() {
        lock();
        try {
            return originalBytes;
        } finally {
            unlock();
        }
    }

    public long replyPackets() {
        lock();
        try {
            return replyPackets;
        } finally {
            unlock();
        }
    }

    public long replyBytes() {
        lock();
        try {
            return replyBytes;
        } finally {
            unlock();
        }
    }

    /** True once the tracker removed the flow (expired, evicted, cut or reset); it matches nothing more. */
    public boolean removed() {
        lock();
        try {
            return removedLocked();
        } finally {
            unlock();
        }
    }

    /** True when the flow counts as expired at {@code now}: its timeout ends at or before {@code now}. */
    public boolean expiredAt(long now) {
        lock();
        try {
            return expiredAtLocked(now);
        } finally {
            unlock();
        }
    }

    /**
     * The flow as it stands at {@code now}, to carry it to another table; its attachment goes with the snapshot
     * and leaves this flow (which will not tell it of its removal any more). Under the flow's lock, so that
     * the state, counters and attachment are of one moment.
     */
    FlowSnapshot handOver(long now) {
        lock();
        try {
            FlowAttachment carried = attachment;
            attachment = null;
            return new FlowSnapshot(key(), stateLocked(), closerIsReply(), ruleId, generation, originalPackets,
                    originalBytes, replyPackets, replyBytes, Math.max(0, now - created),
                    Math.max(0, Math.min(now - lastSeen, now - created)), carried);
        } finally {
            unlock();
        }
    }

    /** A flow taken over from another table (see {@link #handOver}), dated back from {@code now}. */
    static Flow takeOver(FlowSnapshot s, int hash, long now, long[] timeouts) {
        FlowKey k = s.key();
        Flow f = of(k.vnicId(), k.source().family() == IpFamily.IPV6, k.direction() == Direction.OUT,
                k.protocol(), k.source().high(), k.source().low(), k.destination().high(), k.destination().low(),
                k.sourcePort(), k.destinationPort(), hash, s.state(), s.ruleId(), s.generation(), now - s.ageNanos(),
                timeouts);
        f.status = (byte) (s.closerIsReply() ? f.status | CLOSER_IS_REPLY : f.status);
        f.lastSeen = now - s.idleNanos();
        f.originalPackets = s.originalPackets();
        f.originalBytes = s.originalBytes();
        f.replyPackets = s.replyPackets();
        f.replyBytes = s.replyBytes();
        f.attachment = s.attachment();
        return f;
    }

    /** A copy that no longer changes, for snapshots. */
    public Flow copy() {
        lock();
        try {
            return copyLocked();
        } finally {
            unlock();
        }
    }

    // --- for the tracker: the key, read without the lock (it is final) ---

    /**
     * True when a packet with this key belongs to this flow, on either side; the side is then the
     * original one when the packet crosses the vNIC in the flow's original direction.
     */
    boolean matches(String vnic, boolean v6, boolean out, int proto, long sh, long sl, long dh, long dl, int sp,
                    int dp, int h) {
        if (h != hash || v6 != ipv6 || proto != (protocol & 0xFF) || !(vnicId == vnic || vnicId.equals(vnic))) {
            return false;
        }
        if (out != in) { // the original direction
            return sl == sourceLow && dl == destinationLow && sh == sourceHigh() && dh == destinationHigh()
                    && sp == sourcePort && dp == destinationPort;
        }
        return sl == destinationLow && dl == sourceLow && sh == destinationHigh() && dh == sourceHigh()
                && sp == destinationPort && dp == sourcePort;
    }

    /** True when a packet crossing the vNIC {@code out} (else in) is on the flow's reply side. */
    boolean isReply(boolean out) {
        return out == in;
    }

    // --- the lock ---

    /** Takes the flow's lock: one compare-and-swap when it is free. Not reentrant. */
    void lock() {
        for (int spins = 0; ; spins++) {
            byte s = (byte) STATUS.getOpaque(this);
            if ((s & LOCKED) == 0 && STATUS.weakCompareAndSetAcquire(this, s, (byte) (s | LOCKED))) {
                return;
            }
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the holder may have lost its core
            }
        }
    }

    /** Lets go of the lock: a release store, which publishes what was written under it. */
    void unlock() {
        STATUS.setRelease(this, (byte) (status & ~LOCKED));
    }

    // --- mutators and readers for the tracker, called under this flow's lock ---

    FlowState stateLocked() {
        return STATES[status & STATE_MASK];
    }

    boolean removedLocked() {
        return (status & REMOVED) != 0;
    }

    boolean expiredAtLocked(long now) {
        return now - (lastSeen + timeouts[status & STATE_MASK]) >= 0;
    }

    boolean closerIsReply() {
        return (status & CLOSER_IS_REPLY) != 0;
    }

    void moveTo(FlowState next, boolean reply) {
        int flags = status & ~STATE_MASK;
        if (next == FlowState.FIN_WAIT && (status & STATE_MASK) != FlowState.FIN_WAIT.ordinal()) {
            // remember who closed first: the other side's FIN leads to LAST_ACK
            flags = reply ? flags | CLOSER_IS_REPLY : flags & ~CLOSER_IS_REPLY;
        }
        status = (byte) (flags | next.ordinal());
    }

    void count(boolean reply, int length, long now) {
        if (reply) {
            replyPackets++;
            replyBytes += length;
        } else {
            originalPackets++;
            originalBytes += length;
        }
        lastSeen = now;
    }

    /**
     * Marks the flow removed; its attachment, for the tracker to tell. Under the lock. The attachment
     * stays on the flow, so that a packet racing the removal still finds it.
     */
    FlowAttachment markRemoved() {
        status |= REMOVED;
        return attachment;
    }

    /** Set by the tracker before it publishes the flow. */
    void attach(FlowAttachment a) {
        attachment = a;
    }

    @Override
    public String toString() {
        lock();
        try {
            return key() + " " + stateLocked() + " rule=" + ruleId + " gen=" + generation;
        } finally {
            unlock();
        }
    }

    /** The high 64 bits of the source address as {@link IpPrefix} holds them (0 for IPv4). */
    abstract long sourceHigh();

    /** The high 64 bits of the destination address (0 for IPv4). */
    abstract long destinationHigh();

    /** A copy of this flow, under its lock. */
    abstract Flow copyLocked();

    /** An IPv4 flow: the high halves of its addresses are zero and take no room. */
    static final class V4 extends Flow {

        V4(String vnicId, boolean out, int protocol, long sourceLow, long destinationLow, int sourcePort,
           int destinationPort, int hash, FlowState state, String ruleId, long generation, long now, long[] timeouts) {
            super(vnicId, false, out, protocol, sourceLow, destinationLow, sourcePort, destinationPort, hash, state,
                    ruleId, generation, now, timeouts);
        }

        private V4(V4 f) {
            super(f);
        }

        @Override
        long sourceHigh() {
            return 0;
        }

        @Override
        long destinationHigh() {
            return 0;
        }

        @Override
        Flow copyLocked() {
            return new V4(this);
        }
    }

    /** An IPv6 flow. */
    static final class V6 extends Flow {

        private final long sourceHigh;
        private final long destinationHigh;

        V6(String vnicId, boolean out, int protocol, long sourceHigh, long sourceLow, long destinationHigh,
           long destinationLow, int sourcePort, int destinationPort, int hash, FlowState state, String ruleId,
           long generation, long now, long[] timeouts) {
            super(vnicId, true, out, protocol, sourceLow, destinationLow, sourcePort, destinationPort, hash, state,
                    ruleId, generation, now, timeouts);
            this.sourceHigh = sourceHigh;
            this.destinationHigh = destinationHigh;
        }

        private V6(V6 f) {
            super(f);
            this.sourceHigh = f.sourceHigh;
            this.destinationHigh = f.destinationHigh;
        }

        @Override
        long sourceHigh() {
            return sourceHigh;
        }

        @Override
        long destinationHigh() {
            return destinationHigh;
        }

        @Override
        Flow copyLocked() {
            return new V6(this);
        }
    }
}
