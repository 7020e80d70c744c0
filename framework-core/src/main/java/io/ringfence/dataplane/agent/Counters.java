package io.ringfence.dataplane.agent;

import io.ringfence.model.Action;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live, thread-safe counters behind {@link RuleStats} and {@link VnicStats}. LongAdders because
 * many packet threads bump the same counters; a snapshot reads each adder once, so it is not one
 * instant across counters (they can be a few packets apart under load).
 */
final class Counters {

    private Counters() {
    }

    /** Counters of one rule. */
    static final class Rule {
        final LongAdder packets = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder sessions = new LongAdder();
        final LongAccumulator lastHit = new LongAccumulator(Math::max, Long.MIN_VALUE);
        /**
         * The verdict of this rule's flow-table hits for the last generation asked, so that packets
         * of established flows share one. A plain field: a {@link Verdict} is immutable (final
         * fields), so a thread that reads a stale or racing value still reads a whole verdict.
         */
        private Verdict tracked;

        void hit(int length, long now) {
            packets.increment();
            bytes.add(length);
            lastHit.accumulate(now);
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
            return new RuleStats(ruleId, packets.sum(), bytes.sum(), sessions.sum(), lastHit.get());
        }
    }

    /** Counters of one vNIC. */
    static final class Vnic {
        final LongAdder allowed = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder invalid = new LongAdder();
        final LongAdder flowsCreated = new LongAdder();
        final LongAdder flowsCut = new LongAdder();
        final LongAdder steered = new LongAdder();
        final LongAdder inspectionDropped = new LongAdder();
        final LongAdder inspectionRejected = new LongAdder();

        void count(Verdict v) {
            switch (v.action()) {
                case ALLOW -> allowed.increment();
                case DROP -> {
                    dropped.increment();
                    if (Verdict.INVALID.equals(v.ruleId())) {
                        invalid.increment();
                    }
                }
                case REJECT -> rejected.increment();
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
            allowed.add(s.allowed());
            dropped.add(s.dropped());
            rejected.add(s.rejected());
            invalid.add(s.invalid());
            flowsCreated.add(s.flowsCreated());
            flowsCut.add(s.flowsCut());
            steered.add(s.steered());
            inspectionDropped.add(s.inspectionDropped());
            inspectionRejected.add(s.inspectionRejected());
        }

        VnicStats snapshot(String vnicId) {
            return new VnicStats(vnicId, allowed.sum(), dropped.sum(), rejected.sum(), invalid.sum(),
                    flowsCreated.sum(), flowsCut.sum(), steered.sum(), inspectionDropped.sum(),
                    inspectionRejected.sum());
        }
    }
}
