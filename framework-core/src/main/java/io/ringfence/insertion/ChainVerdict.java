package io.ringfence.insertion;

import io.ringfence.spi.inspection.Verdict;
import java.util.List;

/**
 * The chain's decision on one packet.
 *
 * @param verdict PASS, DROP or REJECT for the packet; PASS_AND_BYPASS when the packet passes and no hop of
 *                either path will inspect the flow again (each bypassed it, or failed under ALLOW), so that the
 *                data plane can stop steering the flow
 * @param hops    what each hop the packet reached made of it, in path order; the hops after a DROP or REJECT
 *                are not listed (the packet did not reach them)
 */
public record ChainVerdict(Verdict verdict, List<HopResult> hops) {

    public ChainVerdict {
        if (verdict == null) {
            throw new IllegalArgumentException("a chain verdict has a verdict");
        }
        hops = List.copyOf(hops);
    }
}
