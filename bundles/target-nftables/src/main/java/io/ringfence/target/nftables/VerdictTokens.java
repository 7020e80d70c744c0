package io.ringfence.target.nftables;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 16-bit tokens an ALLOW decision stamps into the connection mark, one space per direction
 * (the initiator's OUT decision in the high half of {@code ct mark}, the responder's IN decision in
 * the low half; 0 means "no decision on that side").
 *
 * <p>A token names one <em>decision</em>: an ALLOW entry of one vNIC's chain together with
 * everything before it in the chain that could take a flow away from it (see {@link
 * RulesetPlan}). While the decision stands, its token stays, and established connections stamped
 * with it pass on the fast path. When it changes, its token goes out of the valid set, and the
 * connections that carry it are classified again by their next packet: still allowed, they are
 * stamped with the new token; denied, they are cut.
 *
 * <p>A token that went out of use rests in quarantine before it is given to another decision, so
 * that an idle connection still carrying it cannot come back as that decision's. The quarantine
 * must outlast the longest idle time of a tracked connection (the kernel's TCP established
 * timeout). New tokens are taken round-robin over the space, skipping live and resting ones; when
 * every free token is resting, the one that has rested longest is taken early (and that is logged):
 * enforcing a change matters more than the rare idle connection the early reuse could let through.
 *
 * <p>Not thread-safe: the target serializes its updates.
 */
final class VerdictTokens {

    static final int SPACE = 0xFFFF;

    private static final System.Logger LOG = System.getLogger(VerdictTokens.class.getName());

    private final Duration quarantine;
    private final Space out = new Space("OUT");
    private final Space in = new Space("IN");

    VerdictTokens(Duration quarantine) {
        this.quarantine = quarantine;
    }

    /** The tokens of both directions for the decisions of one update; applied by {@link #commit}. */
    record Allocation(Space.Plan out, Space.Plan in) {
    }

    /**
     * Tokens for the decisions an update leaves standing: kept for the decisions that had one, new
     * for the others.
     *
     * @throws IllegalStateException when there are more decisions in a direction than tokens
     */
    Allocation allocate(Set<String> outDecisions, Set<String> inDecisions, Instant now) {
        return new Allocation(out.plan(outDecisions, now), in.plan(inDecisions, now));
    }

    /** Makes an allocation current, once the ruleset that uses it is in the kernel. */
    void commit(Allocation allocation, Instant now) {
        out.commit(allocation.out(), now);
        in.commit(allocation.in(), now);
    }

    /**
     * What a previous run of the target left in the kernel: its live tokens start resting now (the
     * decisions they named are not known any more), its resting ones keep resting until they were due.
     */
    void restore(Set<Integer> liveOut, Map<Integer, Instant> restingOut, Set<Integer> liveIn,
                 Map<Integer, Instant> restingIn, Instant now) {
        out.restore(liveOut, restingOut, now.plus(quarantine));
        in.restore(liveIn, restingIn, now.plus(quarantine));
    }

    Duration quarantine() {
        return quarantine;
    }

    /** The tokens of one direction. */
    final class Space {
        private final String name;
        private final Map<String, Integer> byDecision = new HashMap<>();
        private final Map<Integer, Instant> resting = new HashMap<>();
        private int cursor;

        Space(String name) {
            this.name = name;
        }

        /**
         * One direction's allocation.
         *
         * @param tokens the token of each standing decision
         * @param freed  tokens that go to rest with this update
         * @param cursor where the next search for a free token starts
         * @param taken  resting tokens taken early
         */
        record Plan(Map<String, Integer> tokens, Set<Integer> freed, int cursor, Set<Integer> taken) {
        }

        Plan plan(Set<String> decisions, Instant now) {
            if (decisions.size() > SPACE) {
                throw new IllegalStateException(decisions.size() + " " + name + " ALLOW decisions on one host, more than "
                        + SPACE + " verdict tokens");
            }
            Map<String, Integer> tokens = new HashMap<>();
            Set<Integer> live = new HashSet<>();
            for (String d : decisions) {
                Integer t = byDecision.get(d);
                if (t != null) {
                    tokens.put(d, t);
                    live.add(t);
                }
            }
            Set<Integer> freed = new HashSet<>();
            byDecision.forEach((d, t) -> {
                if (!live.contains(t)) {
                    freed.add(t);
                }
            });
            List<String> fresh = decisions.stream().filter(d -> !tokens.containsKey(d)).sorted().toList();
            int c = cursor;
            Set<Integer> taken = new HashSet<>();
            int scanned = 0;
            for (String d : fresh) {
                int t = 0;
                while (t == 0 && scanned < SPACE) {
                    c = c % SPACE + 1;
                    scanned++;
                    Instant until = resting.get(c);
                    if (!live.contains(c) && !freed.contains(c) && (until == null || !until.isAfter(now))) {
                        t = c;
                    }
                }
                if (t == 0) {
                    t = longestResting(live, freed, taken);
                    taken.add(t);
                }
                tokens.put(d, t);
                live.add(t);
            }
            if (!taken.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "verdict tokens " + name + ": " + taken.size()
                        + " taken before the end of their quarantine; an idle connection still carrying one could"
                        + " pass as the new decision's");
            }
            return new Plan(tokens, freed, c, taken);
        }

        private int longestResting(Set<Integer> live, Set<Integer> freed, Set<Integer> taken) {
            return resting.entrySet().stream()
                    .filter(e -> !live.contains(e.getKey()) && !freed.contains(e.getKey()) && !taken.contains(e.getKey()))
                    .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElseThrow(() -> new IllegalStateException("no " + name + " verdict token left"));
        }

        void commit(Plan plan, Instant now) {
            Instant until = now.plus(quarantine);
            resting.values().removeIf(due -> !due.isAfter(now));
            byDecision.clear();
            byDecision.putAll(plan.tokens());
            plan.taken().forEach(resting::remove);
            plan.tokens().values().forEach(resting::remove);
            plan.freed().forEach(t -> resting.put(t, until));
            cursor = plan.cursor();
        }

        void restore(Set<Integer> live, Map<Integer, Instant> rest, Instant until) {
            byDecision.clear();
            resting.clear();
            resting.putAll(rest);
            live.forEach(t -> resting.put(t, until));
        }
    }

    Space out() {
        return out;
    }

    Space in() {
        return in;
    }
}
