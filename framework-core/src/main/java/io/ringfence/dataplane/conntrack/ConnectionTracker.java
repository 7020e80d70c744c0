package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
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
 * </ul>
 *
 * <p>Thread-safety: safe for concurrent use. Lookups are lock-free on the table (a
 * {@link ConcurrentHashMap} holding each flow under both its keys) and synchronize on the one flow
 * they update. Adding and removing flows hold a table lock, which keeps the bound exact; the lock
 * order is table lock, then flow.
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

    private final Config config;
    private final long[] timeoutNanos = new long[FlowState.values().length];
    /** Each flow under its original key and its reply key. */
    private final ConcurrentHashMap<FlowKey, Flow> table = new ConcurrentHashMap<>();
    private final Object tableLock = new Object();
    private int size; // guarded by tableLock
    private final LongAdder evictions = new LongAdder();

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

    private Lookup lookup(String vnicId, Direction direction, Packet p, long now, boolean apply) {
        if (p.isIcmp() && Icmp.isError(p)) {
            Lookup related = related(vnicId, direction, p, now);
            if (related != null) {
                return related;
            }
        }
        FlowKey key = FlowKey.of(vnicId, direction, p);
        Flow flow = table.get(key);
        if (flow != null) {
            Lookup tracked = track(flow, !flow.key().equals(key), p, now, apply);
            if (tracked != null) {
                return tracked;
            }
            if (apply) {
                discard(flow); // expired, or a TCP connection reopened on its tuple
            }
        }
        return p.isTcp() && !TcpStateMachine.isOpening(p.tcpFlags()) ? Lookup.INVALID_WITHOUT_FLOW : Lookup.NEW;
    }

    /** RELATED when the error quotes a live flow; the quoted packet crossed the vNIC the other way. */
    private Lookup related(String vnicId, Direction direction, Packet error, long now) {
        if (error.embedded() == null) {
            return null;
        }
        FlowKey quoted = FlowKey.of(vnicId, FlowKey.opposite(direction), error.embedded());
        Flow flow = table.get(quoted);
        if (flow == null || flow.removed() || flow.expiredAt(now)) {
            return null;
        }
        return new Lookup(Lookup.Kind.RELATED, flow, !flow.key().equals(quoted));
    }

    /**
     * Applies a packet to its flow (only decides, when {@code apply} is false); null when the flow
     * is to be treated as absent.
     */
    private Lookup track(Flow flow, boolean reply, Packet p, long now, boolean apply) {
        synchronized (flow) {
            if (flow.removed() || flow.expiredAt(now)) {
                return null;
            }
            FlowState state = flow.state();
            FlowState next = state;
            if (state.isTcp()) {
                if (!reply && (state == FlowState.TIME_WAIT || state == FlowState.CLOSED)
                        && TcpStateMachine.isOpening(p.tcpFlags())) {
                    return null; // a new connection on the same tuple: classify it afresh
                }
                next = TcpStateMachine.next(state, reply, flow.closerIsReply(), p.tcpFlags());
            } else if (state == FlowState.UDP_UNREPLIED && reply) {
                next = FlowState.UDP_ASSURED;
            } else if (Icmp.isEcho(p) && reply != Icmp.isEchoReply(p)) {
                next = null; // a request in the reply direction, or a reply in the original one
            }
            if (next == null) {
                return new Lookup(Lookup.Kind.INVALID, flow, reply);
            }
            if (apply) {
                flow.moveTo(next, reply);
                flow.count(reply, p, now, timeoutNanos[next.ordinal()]);
            }
            return new Lookup(Lookup.Kind.TRACKED, flow, reply);
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
        FlowState initial = initialState(p);
        FlowKey key = FlowKey.of(vnicId, direction, p);
        synchronized (tableLock) {
            for (FlowKey k : List.of(key, key.reverse())) {
                Flow existing = table.get(k);
                if (existing != null && !existing.expiredAt(now) && !existing.removed()) {
                    return existing;
                } else if (existing != null) {
                    removeLocked(existing);
                }
            }
            if (size >= config.maxEntries()) {
                makeRoom(now);
            }
            Flow flow = new Flow(key, initial, ruleId, generation, now);
            synchronized (flow) {
                flow.count(false, p, now, timeoutNanos[initial.ordinal()]);
            }
            table.put(key, flow);
            table.put(key.reverse(), flow);
            size++;
            return flow;
        }
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
        expire(now);
        if (size < config.maxEntries()) {
            return;
        }
        Flow victim = null;
        for (Flow f : distinctFlows()) {
            if (victim == null || evictsBefore(f, victim)) {
                victim = f;
            }
        }
        removeLocked(victim);
        evictions.increment();
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
        synchronized (tableLock) {
            int n = 0;
            for (Flow f : distinctFlows()) {
                if (f.expiredAt(now)) {
                    removeLocked(f);
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Copies of the vNIC's flows, for the API. Taken under the table lock so that the snapshot is
     * one state of the table (a lock-free walk could meet a flow added after one it saw removed).
     */
    public List<Flow> flows(String vnicId) {
        synchronized (tableLock) {
            List<Flow> out = new ArrayList<>();
            for (Flow f : distinctFlows()) {
                if (f.vnicId().equals(vnicId)) {
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

    private int removeIf(Predicate<Flow> doomed) {
        synchronized (tableLock) {
            int n = 0;
            for (Flow f : distinctFlows()) {
                if (doomed.test(f)) {
                    removeLocked(f);
                    n++;
                }
            }
            return n;
        }
    }

    /** How many flows the table holds (expired ones not yet removed included). */
    public int size() {
        synchronized (tableLock) {
            return size;
        }
    }

    /** How many flows were evicted to make room since the tracker started. */
    public long evictions() {
        return evictions.sum();
    }

    private List<Flow> distinctFlows() {
        List<Flow> out = new ArrayList<>();
        table.forEach((k, f) -> {
            if (k.equals(f.key())) {
                out.add(f);
            }
        });
        return out;
    }

    private void discard(Flow flow) {
        synchronized (tableLock) {
            removeLocked(flow);
        }
    }

    private void removeLocked(Flow flow) {
        if (table.remove(flow.key(), flow)) {
            table.remove(flow.key().reverse(), flow);
            size--;
            synchronized (flow) {
                flow.markRemoved();
            }
        }
    }
}
