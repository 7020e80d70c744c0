package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;

/**
 * One tracked flow: its key in the original direction, its state, the verdict that allowed it
 * (the id of the allowing rule and the rule-set generation it was decided on), its counters per
 * direction and its times (nanoseconds on the tracker's clock).
 *
 * <p>Thread-safety: the tracker mutates a flow only while holding its monitor; the getters take
 * the same monitor, so each getter returns a consistent value. {@link ConnectionTracker#flows}
 * hands out copies, which do not change.
 */
public final class Flow {

    private final FlowKey key;
    private final String ruleId;
    private final long generation;
    private final long created;
    private FlowState state;
    private boolean closerIsReply;
    private long lastSeen;
    private long expiresAt;
    private long originalPackets;
    private long originalBytes;
    private long replyPackets;
    private long replyBytes;
    private boolean removed;

    Flow(FlowKey key, FlowState state, String ruleId, long generation, long now) {
        this.key = key;
        this.state = state;
        this.ruleId = ruleId;
        this.generation = generation;
        this.created = now;
        this.lastSeen = now;
    }

    /** The key of the packet that created the flow; replies match its {@link FlowKey#reverse()}. */
    public FlowKey key() {
        return key;
    }

    /** The vNIC the flow crosses. */
    public String vnicId() {
        return key.vnicId();
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

    public synchronized FlowState state() {
        return state;
    }

    /** When the last valid packet of the flow was seen. */
    public synchronized long lastSeen() {
        return lastSeen;
    }

    /** The time from which the flow counts as expired (its state's timeout after {@link #lastSeen()}). */
    public synchronized long expiresAt() {
        return expiresAt;
    }

    public synchronized long originalPackets() {
        return originalPackets;
    }

    public synchronized long originalBytes() {
        return originalBytes;
    }

    public synchronized long replyPackets() {
        return replyPackets;
    }

    public synchronized long replyBytes() {
        return replyBytes;
    }

    /** True once the tracker removed the flow (expired, evicted, cut or reset); it matches nothing more. */
    public synchronized boolean removed() {
        return removed;
    }

    /** True when the flow counts as expired at {@code now}: its timeout ends at or before {@code now}. */
    public synchronized boolean expiredAt(long now) {
        return now - expiresAt >= 0;
    }

    /** A copy that no longer changes, for snapshots. */
    public synchronized Flow copy() {
        Flow c = new Flow(key, state, ruleId, generation, created);
        c.closerIsReply = closerIsReply;
        c.lastSeen = lastSeen;
        c.expiresAt = expiresAt;
        c.originalPackets = originalPackets;
        c.originalBytes = originalBytes;
        c.replyPackets = replyPackets;
        c.replyBytes = replyBytes;
        c.removed = removed;
        return c;
    }

    // --- mutators, called by the tracker under this flow's monitor ---

    boolean closerIsReply() {
        return closerIsReply;
    }

    void moveTo(FlowState next, boolean reply) {
        if (next == FlowState.FIN_WAIT && state != FlowState.FIN_WAIT) {
            closerIsReply = reply; // remember who closed first: the other side's FIN leads to LAST_ACK
        }
        state = next;
    }

    void count(boolean reply, Packet p, long now, long timeout) {
        if (reply) {
            replyPackets++;
            replyBytes += p.length();
        } else {
            originalPackets++;
            originalBytes += p.length();
        }
        lastSeen = now;
        expiresAt = now + timeout;
    }

    void markRemoved() {
        removed = true;
    }

    @Override
    public synchronized String toString() {
        return key + " " + state + " rule=" + ruleId + " gen=" + generation;
    }
}
