package io.ringfence.dataplane.agent;

import io.ringfence.model.Action;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live, thread-safe counters behind {@link RuleStats} and {@link VnicStats}. The per-packet ones
 * are {@link ThreadCells}: every packet adds to them, from any number of packet threads, and a cell
 * per thread costs no atomic instruction. The per-flow ones are LongAdders. A snapshot reads each
 * counter once, so it is not one instant across counters (they can be a few packets apart under
 * load).
 */
final class Counters {

    private Counters() {
    }

    /** Counters of one rule. */
    static final class Rule {
        private static final int PACKETS = 0;
        private static final int BYTES = 1;
        /** The cells' count 2, a maximum: the latest {@code now} of a hit. */
        private static final int LAST_HIT = 2;
        /** Packets, bytes and the last hit. */
        private final ThreadCells hits = new ThreadCells(Long.MIN_VALUE);
        final LongAdder sessions = new LongAdder();
        /**
         * The verdict of this rule's flow-table hits for the last generation asked, so that packets
         * of established flows share one. A plain field: a {@link Verdict} is immutable (final
         * fields), so a thread that reads a stale or racing value still reads a whole verdict.
         */
        private Verdict tracked;

        void hit(int length, long now) {
            ThreadCells.Cell c = hits.mine();
            c.add(PACKETS, 1);
            c.add(BYTES, length);
            c.max2(now);
        }

        /** The verdict of a packet decided from the flow table by a flow this rule allowed. */
        Verdict trackedVerdict(String ruleId, long generation) {
            Verdict v = tracked;
            if (v == null || v.generation() != generation) {
                v = new Verdict(Action.ALLOW, ruleId, true, null, generation);
                tracked = v;
            }
            return v;
        }

        RuleStats snapshot(String ruleId) {
            return new RuleStats(ruleId, hits.sum(PACKETS), hits.sum(BYTES), sessions.sum(), hits.max2());
        }
    }

    /** Counters of one vNIC. */
    static final class Vnic {
        private static final int ALLOWED = 0;
        private static final int DROPPED = 1;
        private static final int REJECTED = 2;
        private static final int INVALID = 3;
        /** Packets allowed, dropped, rejected, and dropped as invalid (counted in dropped too). */
        private final ThreadCells verdicts = new ThreadCells(0);
        final LongAdder flowsCreated = new LongAdder();
        final LongAdder flowsCut = new LongAdder();
        final LongAdder flowsEvicted = new LongAdder();
        final LongAdder steered = new LongAdder();
        final LongAdder inspectionDropped = new LongAdder();
        final LongAdder inspectionRejected = new LongAdder();

        void count(Verdict v) {
            ThreadCells.Cell c = verdicts.mine();
            switch (v.action()) {
                case ALLOW -> c.add(ALLOWED, 1);
                case DROP -> {
                    c.add(DROPPED, 1);
                    if (Verdict.INVALID.equals(v.ruleId())) {
                        c.add(INVALID, 1);
                    }
                }
                case REJECT -> c.add(REJECTED, 1);
            }
        }

        /** A packet the firewall allowed went through a service chain, which said {@code inspection}. */
        void steered(io.ringfence.spi.inspection.Verdict inspection) {
            steered.increment();
            switch (inspection) {
                case DROP -> inspectionDropped.increment();
                case REJECT -> inspectionRejected.increment();
                default -> {
                }
            }
        }

        /** Adds counts taken elsewhere: those the vNIC brought from the host it left. */
        void add(VnicStats s) {
            ThreadCells.Cell c = verdicts.mine(); // the calling thread's cell, as for a packet
            c.add(ALLOWED, s.allowed());
            c.add(DROPPED, s.dropped());
            c.add(REJECTED, s.rejected());
            c.add(INVALID, s.invalid());
            flowsCreated.add(s.flowsCreated());
            flowsCut.add(s.flowsCut());
            flowsEvicted.add(s.flowsEvicted());
            steered.add(s.steered());
            inspectionDropped.add(s.inspectionDropped());
            inspectionRejected.add(s.inspectionRejected());
        }

        VnicStats snapshot(String vnicId) {
            return new VnicStats(vnicId, verdicts.sum(ALLOWED), verdicts.sum(DROPPED), verdicts.sum(REJECTED),
                    verdicts.sum(INVALID), flowsCreated.sum(), flowsCut.sum(), flowsEvicted.sum(), steered.sum(),
                    inspectionDropped.sum(), inspectionRejected.sum());
        }
    }
}
