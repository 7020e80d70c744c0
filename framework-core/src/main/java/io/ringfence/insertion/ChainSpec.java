package io.ringfence.insertion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service chain as the runtime steers flows through it.
 *
 * <p>A hop that is on both paths (the same profile id) is one session of its function for the flow,
 * so the function sees the packets of both sides; it must then be the same hop on both paths.
 *
 * @param chainId       the chain's id; its counters are kept under it
 * @param forward       the hops of the initiator's packets, in order
 * @param reverse       the hops of the responder's packets, in order (usually the forward hops reversed)
 * @param failurePolicy what a hop whose function is missing or failed does to packets
 * @param deadline      how long each call into a function may take
 */
public record ChainSpec(String chainId, List<ChainHop> forward, List<ChainHop> reverse, FailurePolicy failurePolicy,
                        Duration deadline) {

    /** The longest deadline a chain may give a call: packets are not held for longer. */
    public static final Duration MAX_DEADLINE = Duration.ofMinutes(1);

    /**
     * @throws IllegalArgumentException if a field is missing, the deadline is not positive or above
     *                                  {@link #MAX_DEADLINE}, a path repeats a profile, or the paths disagree on one
     */
    public ChainSpec {
        if (chainId == null || chainId.isBlank()) {
            throw new IllegalArgumentException("a chain has an id");
        }
        if (failurePolicy == null) {
            throw new IllegalArgumentException("chain " + chainId + " has no failure policy");
        }
        if (deadline == null || deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("chain " + chainId + " needs a positive deadline of at most " + MAX_DEADLINE);
        }
        forward = List.copyOf(forward);
        reverse = List.copyOf(reverse);
        Map<String, ChainHop> hops = new HashMap<>();
        for (List<ChainHop> path : List.of(forward, reverse)) {
            Set<String> seen = new HashSet<>();
            for (ChainHop hop : path) {
                if (!seen.add(hop.profileId())) {
                    throw new IllegalArgumentException("chain " + chainId + " repeats profile " + hop.profileId()
                            + " on one path");
                }
                ChainHop other = hops.putIfAbsent(hop.profileId(), hop);
                if (other != null && !other.equals(hop)) {
                    throw new IllegalArgumentException("chain " + chainId + ": profile " + hop.profileId()
                            + " differs between the forward and the reverse path");
                }
            }
        }
    }

    /** A chain whose reverse path is its forward path backwards, as replies retrace the way in. */
    public static ChainSpec symmetric(String chainId, List<ChainHop> forward, FailurePolicy failurePolicy,
                                      Duration deadline) {
        List<ChainHop> reverse = new ArrayList<>(forward);
        Collections.reverse(reverse);
        return new ChainSpec(chainId, forward, reverse, failurePolicy, deadline);
    }
}
