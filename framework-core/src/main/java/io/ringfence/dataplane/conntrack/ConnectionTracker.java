package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketView;
import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The connection table of one host: the flows its data plane allowed, keyed per vNIC and
 * direction, so that the rest of a flow takes the fast path (DESIGN, "How a packet is decided").
 *
 * <p>Use: {@link #lookup} each packet; on NEW the data plane classifies it and, if allowed,
 * {@link #create}s the flow; TRACKED and RELATED packets pass; INVALID packets are dropped. When a
 * vNIC's rule set changes, {@link #revalidate} cuts the flows the new rules no longer allow.
 *
 * <p>Policies of this version:
 * <ul>
 *   <li><b>Time</b> is passed in explicitly ({@code now}, nanoseconds, e.g. {@link System#nanoTime()})
 *       so tests control the clock. A flow expires when its state's timeout after its last valid
 *       packet has elapsed: at exactly {@code lastSeen + timeout} it is expired. Expired flows match
 *       nothing; {@link #expire} removes them.</li>
 *   <li><b>TCP</b> follows the flags ({@link TcpStateMachine}); there is <em>no sequence-window
 *       tracking</em>: sequence and acknowledgement numbers are not checked, so an in-tuple packet
 *       with any sequence number (including a RST) is accepted if its flags fit the state. A TCP
 *       packet other than a plain SYN without a flow is INVALID (no mid-stream pick-up). A SYN in
 *       the original direction on a flow in TIME_WAIT or CLOSED removes it and reports NEW, so the
 *       new connection is classified again.</li>
 *   <li><b>UDP</b> is UNREPLIED until the other side sends, then ASSURED. <b>ICMP echo</b> is
 *       keyed by its identifier; only an echo reply matches in the reply direction.</li>
 *   <li><b>Bound</b>: at most {@link Config#maxEntries()} flows. Creating a flow in a full table
 *       first removes expired flows, then evicts one flow: the non-ESTABLISHED flow closest to
 *       expiry, or if every flow is ESTABLISHED, the established one closest to expiry (the least
 *       recently used). The victim search scans the table, which only happens when it is full.</li>
 *   <li><b>Attachments</b>: the data plane may attach one {@link FlowAttachment} to a flow as it
 *       creates it. Whatever removes the flow (a lookup meeting it expired or reopened, expiry,
 *       eviction, revalidation, the removal of its vNIC, {@link #remove(Flow)}, {@link #clear()})
 *       tells the attachment once, after letting go of the table lock: the removal happens under
 *       the lock, the telling on the removing thread right after. An expired flow that nothing
 *       removes yet is not told until something does (a periodic {@link #expire}).</li>
 * </ul>
 *
 * <p>Layout, for millions of flows: one compact {@link Flow} per flow (its key as primitive fields)
 * in an open-addressing index (linear probing over a power-of-two array of references, at most
 * 5/8 full counting removed slots, rebuilt at twice the live flows when it is not). A flow takes
 * one slot: both of its sides hash alike (the side leaving the vNIC is hashed first), and a
 * lookup tells the side by the direction. No key object, no map entry, no boxed address.
 *
 * <p>Thread-safety: safe for concurrent use. Lookups ({@link #lookup}, {@link #peek}, {@link #track})
 * walk the index without a lock and take the lock of the one flow they update. Adding and removing
 * flows hold a table lock, which keeps the bound exact; the lock order is table lock, then flow.
 * A writer publishes a new flow into its slot with a release store after filling it, marks the
 * slot of a removed flow with a tombstone (so that probes for the flows after it go on) and
 * marks the flow removed, and grows, shrinks or cleans the index by filling a new array and
 * publishing it with one volatile write. A reader therefore always finds a flow that stays in the
 * table during its walk; one that walks a replaced array may still meet a flow removed since, and
 * sees it removed under the flow's lock. As with any concurrent table, a packet racing the
 * creation of its own flow may not see it yet.
 */
public final class ConnectionTracker {

    /**
     * Size and timeouts of the table.
     *
     * @param maxEntries the most flows the table holds
     * @param timeouts   a timeout for every {@link FlowState}
     */
    public record Config(int maxEntries, Map<FlowState, Duration> timeouts) {

        public Config {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
            }
            EnumMap<FlowState, Duration> copy = new EnumMap<>(FlowState.class);
            copy.putAll(timeouts);
            for (FlowState s : FlowState.values()) {
                Duration d = copy.get(s);
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("timeout of " + s + " must be positive: " + d);
                }
            }
            timeouts = Map.copyOf(copy);
        }

        /**
         * Defaults modelled on Linux conntrack, shortened where Linux is generous to half-open
         * connections: SYN_SENT and SYN_RECEIVED 30 s, ESTABLISHED 5 days, FIN_WAIT 120 s,
         * CLOSE_WAIT 60 s, LAST_ACK 30 s, TIME_WAIT 120 s, CLOSED 10 s; UDP unreplied 30 s,
         * assured 180 s; ICMP 30 s; other protocols 600 s.
         */
        public static Config defaults(int maxEntries) {
            EnumMap<FlowState, Duration> t = new EnumMap<>(FlowState.class);
            t.put(FlowState.SYN_SENT, Duration.ofSeconds(30));
            t.put(FlowState.SYN_RECEIVED, Duration.ofSeconds(30));
            t.put(FlowState.ESTABLISHED, Duration.ofDays(5));
            t.put(FlowState.FIN_WAIT, Duration.ofSeconds(120));
            t.put(FlowState.CLOSE_WAIT, Duration.ofSeconds(60));
            t.put(FlowState.LAST_ACK, Duration.ofSeconds(30));
            t.put(FlowState.TIME_WAIT, Duration.ofSeconds(120));
            t.put(FlowState.CLOSED, Duration.ofSeconds(10));
            t.put(FlowState.UDP_UNREPLIED, Duration.ofSeconds(30));
            t.put(FlowState.UDP_ASSURED, Duration.ofSeconds(180));
            t.put(FlowState.ICMP, Duration.ofSeconds(30));
            t.put(FlowState.OTHER, Duration.ofSeconds(600));
            return new Config(maxEntries, t);
        }

        /** This configuration with one timeout changed. */
        public Config withTimeout(FlowState state, Duration timeout) {
            EnumMap<FlowState, Duration> t = new EnumMap<>(timeouts);
            t.put(state, timeout);
            return new Config(maxEntries, t);
        }

        public Duration timeout(FlowState state) {
            return timeouts.get(state);
        }
    }

    private static final System.Logger LOG = System.getLogger(ConnectionTracker.class.getName());
    /** The index starts this small and never shrinks below it. */
    private static final int MIN_CAPACITY = 16;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Flow[].class);
    /** Marks the slot of a removed flow, so that probes for the flows after it go on. */
    private static final Flow TOMBSTONE = Flow.of("", false, true, 0, 0, 0, 0, 0, 0, 0, 0, FlowState.OTHER, null, 0,
            0, new long[FlowState.values().length]);
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    private final Config config;
    private final long[] timeoutNanos = new long[FlowState.values().length];
    /**
     * The index: open addressing with linear probing over a power-of-two array, one slot per flow
     * (both sides of a flow hash alike). Readers walk it without a lock; writers hold
     * {@link #tableLock}, publish a flow into a slot with a release store, mark a removed flow's
     * slot with {@link #TOMBSTONE} and replace the whole array (a volatile write) to grow, shrink or
     * drop tombstones.
     */
    private volatile Flow[] slots = new Flow[MIN_CAPACITY];
    private final Object tableLock = new Object();
    private int size; // guarded by tableLock
    private int used; // slots holding a flow or a tombstone; guarded by tableLock
    /** Attachments of flows removed under the table lock, told once it is let go; guarded by tableLock. */
    private final List<FlowAttachment> ended = new ArrayList<>();
    private final LongAdder evictions = new LongAdder();
    /** Told of each flow evicted; runs under {@link #tableLock}. */
    private volatile Consumer<? super Flow> evicted = f -> {
    };

    public ConnectionTracker(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        for (FlowState s : FlowState.values()) {
            timeoutNanos[s.ordinal()] = config.timeout(s).toNanos();
        }
    }

    public Config config() {
        return config;
    }

    /**
     * What the tracker knows about {@code p} crossing {@code vnicId} in {@code direction}; a valid
     * packet of a tracked flow moves the flow's state, counters and expiry.
     */
    public Lookup lookup(String vnicId, Direction direction, Packet p, long now) {
        return lookup(vnicId, direction, p, now, true);
    }

    /**
     * What {@link #lookup} would answer for {@code p} at {@code now}, without changing anything: no
     * flow moves state, is counted, has its expiry pushed back or is removed (an expired flow, or a
     * TCP flow a SYN would reopen, is reported as absent but stays in the table). For traceflow.
     *
     * @return TRACKED, RELATED, NEW or INVALID as {@link #lookup} would; the flow of a TRACKED answer
     *         is the live flow (read it, do not change it)
     */
    public Lookup peek(String vnicId, Direction direction, Packet p, long now) {
        return lookup(vnicId, direction, p, now, false);
    }

    /**
     * The fast path of a packet of an established conversation: when {@code p} belongs to a live
     * flow and is valid for its state, applies it as {@link #lookup} would (state, counters,
     * expiry) and returns the flow, without allocating. Otherwise it changes nothing and returns
     * null, and the caller takes the full path, {@link #lookup}, which answers NEW, INVALID or
     * RELATED and removes what must go (ICMP errors always take the full path).
     */
    public Flow track(String vnicId, Direction direction, PacketView p, long now) {
        Objects.requireNonNull(vnicId, "vnicId");
        boolean out = out(direction);
        int protocol = p.protocol();
        int icmpType = p.icmpType();
        boolean echo = Icmp.isEcho(protocol, icmpType);
        if (!echo && Icmp.isError(protocol, icmpType)) {
            return null; // RELATED or not: the full path decides
        }
        int sp = echo ? p.icmpId() : p.isTcp() || p.isUdp() ? p.sourcePort() : 0;
        int dp = echo ? p.icmpId() : p.isTcp() || p.isUdp() ? p.destinationPort() : 0;
        boolean v6 = p.family() == IpFamily.IPV6;
        long sh = p.sourceHigh();
        long sl = p.sourceLow();
        long dh = p.destinationHigh();
        long dl = p.destinationLow();
        int h = hash(vnicId, v6, out, protocol, sh, sl, dh, dl, sp, dp);
        Flow flow = find(vnicId, v6, out, protocol, sh, sl, dh, dl, sp, dp, h);
        if (flow == null) {
            return null;
        }
        Lookup.Kind kind = track(flow, flow.isReply(out), protocol, p.tcpFlags(), icmpType, p.length(), now, true);
        return kind == Lookup.Kind.TRACKED ? flow : null;
    }

    private Lookup lookup(String vnicId, Direction direction, Packet p, long now, boolean apply) {
        Objects.requireNonNull(vnicId, "vnicId");
        boolean out = out(direction);
        if (p.isIcmp() && Icmp.isError(p)) {
            Lookup related = related(vnicId, out, p, now);
            if (related != null) {
                return related;
            }
        }
        Flow flow = find(vnicId, out, p);
        if (flow != null) {
            boolean reply = flow.isReply(out);
            Lookup.Kind kind = track(flow, reply, p.protocol(), p.tcpFlags(), p.icmpType(), p.length(), now, apply);
            if (kind != null) {
                return new Lookup(kind, flow, reply);
            }
            if (apply) {
                discard(flow); // expired, or a TCP connection reopened on its tuple
            }
        }
        return p.isTcp() && !TcpStateMachine.isOpening(p.tcpFlags()) ? Lookup.INVALID_WITHOUT_FLOW : Lookup.NEW;
    }

    /** RELATED when the error quotes a live flow; the quoted packet crossed the vNIC the other way. */
    private Lookup related(String vnicId, boolean out, Packet error, long now) {
        if (error.embedded() == null) {
            return null;
        }
        Flow flow = find(vnicId, !out, error.embedded());
        if (flow == null || flow.removed() || flow.expiredAt(now)) {
            return null;
        }
        return new Lookup(Lookup.Kind.RELATED, flow, flow.isReply(!out));
    }

    /**
     * Applies a packet to its flow (only decides, when {@code apply} is false): TRACKED, INVALID,
     * or null when the flow is to be treated as absent.
     */
    private Lookup.Kind track(Flow flow, boolean reply, int protocol, int tcpFlags, int icmpType, int length,
                              long now, boolean apply) {
        flow.lock();
        try {
            if (flow.removedLocked() || flow.expiredAtLocked(now)) {
                return null;
            }
            FlowState state = flow.stateLocked();
            FlowState next = state;
            if (state.isTcp()) {
                if (!reply && (state == FlowState.TIME_WAIT || state == FlowState.CLOSED)
                        && TcpStateMachine.isOpening(tcpFlags)) {
                    return null; // a new connection on the same tuple: classify it afresh
                }
                next = TcpStateMachine.next(state, reply, flow.closerIsReply(), tcpFlags);
            } else if (state == FlowState.UDP_UNREPLIED && reply) {
                next = FlowState.UDP_ASSURED;
            } else if (Icmp.isEcho(protocol, icmpType) && reply != Icmp.isEchoReply(protocol, icmpType)) {
                next = null; // a request in the reply direction, or a reply in the original one
            }
            if (next == null) {
                return Lookup.Kind.INVALID;
            }
            if (apply) {
                flow.moveTo(next, reply);
                flow.count(reply, length, now);
            }
            return Lookup.Kind.TRACKED;
        } finally {
            flow.unlock();
        }
    }

    /**
     * Records the flow {@code p} opens, after the data plane allowed it. If a live flow already
     * holds the packet's tuple (another thread created it first), returns that flow.
     *
     * @param ruleId     the rule that allowed the flow
     * @param generation the generation of the vNIC's rule set that allowed it
     * @throws IllegalArgumentException for a TCP packet that is not a plain SYN
     */
    public Flow create(String vnicId, Direction direction, Packet p, long now, String ruleId, long generation) {
        return create(vnicId, direction, p, now, ruleId, generation, null);
    }

    /**
     * As {@link #create(String, Direction, Packet, long, String, long)}, with {@code attachment} attached to
     * the new flow before any other thread can find it. When a live flow already holds the tuple, that flow
     * is returned with its own attachment and {@code attachment} is left unused (compare
     * {@link Flow#attachment()} to tell).
     *
     * @param attachment what the data plane keeps with the flow, told when the flow is removed; null for none
     * @since 0.3.0
     */
    public Flow create(String vnicId, Direction direction, Packet p, long now, String ruleId, long generation,
                       FlowAttachment attachment) {
        FlowState initial = initialState(p);
        Objects.requireNonNull(vnicId, "vnicId");
        boolean out = out(direction);
        Flow flow;
        List<FlowAttachment> ended;
        synchronized (tableLock) {
            Flow existing = find(vnicId, out, p);
            if (existing != null && !existing.expiredAt(now) && !existing.removed()) {
                return existing;
            } else if (existing != null) {
                removeLocked(existing);
            }
            if (size >= config.maxEntries()) {
                makeRoom(now);
            }
            boolean v6 = p.family() == IpFamily.IPV6;
            int sp = sourcePort(p);
            int dp = destinationPort(p);
            IpPrefix s = p.source();
            IpPrefix d = p.destination();
            flow = Flow.of(vnicId, v6, out, p.protocol(), s.high(), s.low(), d.high(), d.low(), sp, dp,
                    hash(vnicId, v6, out, p.protocol(), s.high(), s.low(), d.high(), d.low(), sp, dp), initial,
                    ruleId, generation, now, timeoutNanos);
            flow.lock();
            try {
                flow.count(false, p.length(), now);
                flow.attach(attachment);
            } finally {
                flow.unlock();
            }
            insertLocked(flow);
            ended = takeEnded();
        }
        tell(ended);
        return flow;
    }

    private static FlowState initialState(Packet p) {
        if (p.isTcp()) {
            if (!TcpStateMachine.isOpening(p.tcpFlags())) {
                throw new IllegalArgumentException("only a SYN opens a TCP flow, flags=" + p.tcpFlags());
            }
            return FlowState.SYN_SENT;
        }
        return p.isUdp() ? FlowState.UDP_UNREPLIED : p.isIcmp() ? FlowState.ICMP : FlowState.OTHER;
    }

    private void makeRoom(long now) {
        removeIfLocked(f -> f.expiredAt(now));
        if (size < config.maxEntries()) {
            return;
        }
        Flow[] tab = slots;
        int victim = -1;
        for (int i = 0; i < tab.length; i++) {
            Flow f = tab[i];
            if (isFlow(f) && (victim < 0 || evictsBefore(f, tab[victim]))) {
                victim = i;
            }
        }
        Flow flow = tab[victim];
        removeAt(tab, victim);
        evictions.increment();
        evicted.accept(flow);
    }

    /** Non-established flows go first; among equals, the one closest to expiry. */
    private static boolean evictsBefore(Flow a, Flow b) {
        boolean aEst = a.state() == FlowState.ESTABLISHED;
        boolean bEst = b.state() == FlowState.ESTABLISHED;
        if (aEst != bEst) {
            return bEst;
        }
        return a.expiresAt() - b.expiresAt() < 0;
    }

    /**
     * Removes the flows expired at {@code now}; returns how many. (A lookup that meets an expired
     * flow removes it at once, so such a flow is not counted here.)
     */
    public int expire(long now) {
        return removeIf(f -> f.expiredAt(now));
    }

    /**
     * Copies of the vNIC's flows, for the API. Taken under the table lock so that the snapshot is
     * one state of the table (a lock-free walk could meet a flow added after one it saw removed).
     */
    public List<Flow> flows(String vnicId) {
        synchronized (tableLock) {
            List<Flow> out = new ArrayList<>();
            for (Flow f : slots) {
                if (isFlow(f) && f.vnicId().equals(vnicId)) {
                    out.add(f.copy());
                }
            }
            return out;
        }
    }

    /**
     * Cuts the vNIC's flows that {@code stillAllowed} rejects, e.g. after its rule set changed
     * generation; returns how many were cut.
     */
    public int revalidate(String vnicId, Predicate<Flow> stillAllowed) {
        return removeIf(f -> f.vnicId().equals(vnicId) && !stillAllowed.test(f));
    }

    /** Removes every flow of a vNIC that left the host; returns how many. */
    public int remove(String vnicId) {
        return removeIf(f -> f.vnicId().equals(vnicId));
    }

    /**
     * Removes every flow of the host (it leaves); returns how many.
     *
     * @since 0.3.0
     */
    public int clear() {
        return removeIf(f -> true);
    }

    private int removeIf(Predicate<Flow> doomed) {
        int n;
        List<FlowAttachment> removed;
        synchronized (tableLock) {
            n = removeIfLocked(doomed);
            removed = takeEnded();
        }
        tell(removed);
        return n;
    }

    /** Removes the flows {@code doomed} accepts; their attachments are told by the caller, once the lock is let go. */
    private int removeIfLocked(Predicate<Flow> doomed) {
        Flow[] tab = slots;
        int n = 0;
        for (int i = 0; i < tab.length; i++) {
            Flow f = tab[i];
            if (isFlow(f) && doomed.test(f)) {
                removeAt(tab, i);
                n++;
            }
        }
        if (used - size > tab.length >>> 2) {
            rebuild(capacityFor(size)); // many tombstones: they lengthen the probes of absent keys
        }
        return n;
    }

    /**
     * Hands the vNIC's live flows over to another table, as when its VM moves host: a snapshot of each
     * ({@link FlowSnapshot}: key, state, counters, times as ages before {@code now}), taken under the table
     * lock so that the snapshots are one state of the table. Each flow's attachment goes with its snapshot:
     * the flows stay here (until the vNIC is removed) but no longer tell their attachments anything. Expired
     * flows are not handed over.
     *
     * <p>A packet of the vNIC decided here after this call moves a flow that has been exported: the caller
     * keeps the vNIC's packets away meanwhile.
     *
     * @since 0.4.0
     */
    public List<FlowSnapshot> exportFlows(String vnicId, long now) {
        Objects.requireNonNull(vnicId, "vnicId");
        synchronized (tableLock) {
            List<FlowSnapshot> out = new ArrayList<>();
            for (Flow f : slots) {
                if (isFlow(f) && f.vnicId().equals(vnicId) && !f.expiredAt(now)) {
                    out.add(f.handOver(now));
                }
            }
            return out;
        }
    }

    /**
     * Takes over flows another table handed over ({@link #exportFlows}): each becomes a flow here in the
     * state, with the counters and the attachment it had there, its times dated back from {@code now}, its
     * timeout this table's. A flow already here on the same tuple is replaced (the one taken over is the
     * newer); a full table makes room as {@link #create} does.
     *
     * @return how many flows were taken over
     * @since 0.4.0
     */
    public int importFlows(List<FlowSnapshot> flows, long now) {
        List<FlowAttachment> ended;
        synchronized (tableLock) {
            for (FlowSnapshot s : flows) {
                FlowKey k = s.key();
                boolean out = k.direction() == Direction.OUT;
                boolean v6 = k.source().family() == IpFamily.IPV6;
                int h = hash(k.vnicId(), v6, out, k.protocol(), k.source().high(), k.source().low(),
                        k.destination().high(), k.destination().low(), k.sourcePort(), k.destinationPort());
                Flow existing = find(k.vnicId(), v6, out, k.protocol(), k.source().high(), k.source().low(),
                        k.destination().high(), k.destination().low(), k.sourcePort(), k.destinationPort(), h);
                if (existing != null) {
                    removeLocked(existing);
                }
                if (size >= config.maxEntries()) {
                    makeRoom(now);
                }
                insertLocked(Flow.takeOver(s, h, now, timeoutNanos));
            }
            ended = takeEnded();
        }
        tell(ended);
        return flows.size();
    }

    /** How many flows the table holds (expired ones not yet removed included). */
    public int size() {
        synchronized (tableLock) {
            return size;
        }
    }

    /**
     * Tells {@code listener} of every flow evicted to make room from now on (replacing the listener
     * before): the data plane counts evictions per vNIC with it. It runs under the table's lock, on the
     * thread creating the flow that needed the room, so it must be quick and take no lock.
     *
     * @since 0.5.0
     */
    public void onEviction(Consumer<? super Flow> listener) {
        this.evicted = Objects.requireNonNull(listener, "listener");
    }

    /** How many flows were evicted to make room since the tracker started. */
    public long evictions() {
        return evictions.sum();
    }

    // ---- the index

    private static boolean out(Direction direction) {
        if (direction != Direction.IN && direction != Direction.OUT) {
            throw new IllegalArgumentException("a packet crosses a vNIC IN or OUT, not " + direction);
        }
        return direction == Direction.OUT;
    }

    private static boolean isFlow(Flow f) {
        return f != null && f != TOMBSTONE;
    }

    /** The ports of a key: TCP/UDP ports, the echo identifier, or 0 (see {@link FlowKey}). */
    private static int sourcePort(Packet p) {
        return p.isTcp() || p.isUdp() ? p.sourcePort() : Icmp.isEcho(p) ? p.icmpId() : 0;
    }

    private static int destinationPort(Packet p) {
        return p.isTcp() || p.isUdp() ? p.destinationPort() : Icmp.isEcho(p) ? p.icmpId() : 0;
    }

    /**
     * The hash of a key, the same for both sides of a flow: the side leaving the vNIC (OUT) is
     * hashed first, whichever side the packet is on.
     */
    private static int hash(String vnicId, boolean v6, boolean out, int protocol, long sh, long sl, long dh, long dl,
                            int sp, int dp) {
        long h = vnicId.hashCode() ^ ((long) protocol << 32) ^ (v6 ? 1L << 40 : 0);
        h = (h ^ (out ? sl : dl)) * MIX;
        h = (h ^ (out ? dl : sl)) * MIX;
        h = (h ^ (out ? sh : dh)) * MIX;
        h = (h ^ (out ? dh : sh)) * MIX;
        h = (h ^ (out ? (long) sp << 16 | dp : (long) dp << 16 | sp)) * MIX;
        return (int) (h ^ (h >>> 32));
    }

    private Flow find(String vnicId, boolean out, Packet p) {
        boolean v6 = p.family() == IpFamily.IPV6;
        int sp = sourcePort(p);
        int dp = destinationPort(p);
        IpPrefix s = p.source();
        IpPrefix d = p.destination();
        return find(vnicId, v6, out, p.protocol(), s.high(), s.low(), d.high(), d.low(), sp, dp,
                hash(vnicId, v6, out, p.protocol(), s.high(), s.low(), d.high(), d.low(), sp, dp));
    }

    /** The flow holding a key, on either side; lock-free. */
    private Flow find(String vnicId, boolean v6, boolean out, int protocol, long sh, long sl, long dh, long dl,
                      int sp, int dp, int h) {
        Flow[] tab = slots;
        int mask = tab.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Flow f = (Flow) SLOT.getAcquire(tab, i);
            if (f == null) {
                return null;
            }
            if (f != TOMBSTONE && f.matches(vnicId, v6, out, protocol, sh, sl, dh, dl, sp, dp, h)) {
                return f;
            }
        }
    }

    /** Adds a flow whose key is absent; grows the index first when more than 5/8 of it is in use. */
    private void insertLocked(Flow flow) {
        if (used + 1 > slots.length / 8 * 5) {
            rebuild(capacityFor(size + 1));
        }
        Flow[] tab = slots;
        int mask = tab.length - 1;
        for (int i = flow.hash & mask; ; i = (i + 1) & mask) {
            Flow f = tab[i];
            if (f == null || f == TOMBSTONE) {
                if (f == null) {
                    used++;
                }
                SLOT.setRelease(tab, i, flow);
                size++;
                return;
            }
        }
    }

    private void discard(Flow flow) {
        List<FlowAttachment> ended;
        synchronized (tableLock) {
            removeLocked(flow);
            ended = takeEnded();
        }
        tell(ended);
    }

    /**
     * Removes {@code flow} if the table still holds it, e.g. when the data plane ends it (a rejected
     * packet); its attachment is told.
     *
     * @return true when it was removed now
     * @since 0.3.0
     */
    public boolean remove(Flow flow) {
        boolean removed;
        List<FlowAttachment> ended;
        synchronized (tableLock) {
            int before = size;
            removeLocked(flow);
            removed = size < before;
            ended = takeEnded();
        }
        tell(ended);
        return removed;
    }

    /** Removes the flow if the index still holds it. */
    private void removeLocked(Flow flow) {
        Flow[] tab = slots;
        int mask = tab.length - 1;
        for (int i = flow.hash & mask; ; i = (i + 1) & mask) {
            Flow f = tab[i];
            if (f == null) {
                return;
            }
            if (f == flow) {
                removeAt(tab, i);
                return;
            }
        }
    }

    private void removeAt(Flow[] tab, int i) {
        Flow flow = tab[i];
        SLOT.setRelease(tab, i, TOMBSTONE);
        size--;
        FlowAttachment a;
        flow.lock();
        try {
            a = flow.markRemoved();
        } finally {
            flow.unlock();
        }
        if (a != null) {
            ended.add(a);
        }
    }

    /** The attachments of the flows removed since the last call, to tell once the table lock is let go. */
    private List<FlowAttachment> takeEnded() {
        if (ended.isEmpty()) {
            return List.of();
        }
        List<FlowAttachment> taken = List.copyOf(ended);
        ended.clear();
        return taken;
    }

    /** Tells attachments their flow is gone; outside the table lock, so that they may take their time. */
    private static void tell(List<FlowAttachment> ended) {
        for (FlowAttachment a : ended) {
            try {
                a.flowRemoved();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "an attachment failed when told its flow was removed", e);
            }
        }
    }

    /** Index capacity for {@code flows}: the power of two that keeps it at most half full. */
    private static int capacityFor(int flows) {
        int needed = Math.max(MIN_CAPACITY, 2 * flows);
        return Integer.highestOneBit(needed - 1) << 1;
    }

    /** Rebuilds the index at {@code capacity} without tombstones, then publishes it. */
    private void rebuild(int capacity) {
        Flow[] tab = new Flow[capacity];
        int mask = capacity - 1;
        for (Flow f : slots) {
            if (isFlow(f)) {
                int i = f.hash & mask;
                while (tab[i] != null) {
                    i = (i + 1) & mask;
                }
                tab[i] = f;
            }
        }
        used = size;
        slots = tab;
    }
}
