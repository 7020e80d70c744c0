package io.ringfence.dataplane.agent;

import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.HopResult;
import io.ringfence.model.Action;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What steering made of a traced packet that the firewall allowed at one vNIC: the redirection rule
 * that selected the chain, what each function of the chain said, and the verdict after the chain.
 *
 * @param policyId the redirection policy of the rule
 * @param ruleId   the REDIRECT rule that selected the chain (for a packet of a tracked flow: the rule that
 *                 selected it when the flow was created)
 * @param chainId  the service chain
 * @param hops     each hop the packet reached, in path order: profile, service definition, version of the
 *                 instance called (null when none was), outcome (INSPECTED, or the failure the failure
 *                 policy answered) and verdict; hops after a DROP or REJECT are not listed
 * @param verdict  the chain's verdict: PASS, DROP, REJECT, or PASS_AND_BYPASS when no function will
 *                 inspect the flow again
 * @param action   the step's action after the chain: ALLOW for PASS and PASS_AND_BYPASS, else DROP or REJECT
 * @since 0.4.0
 */
@Schema(description = "The service chain a traced packet went through after the firewall allowed it: the "
        + "redirection rule that selected the chain, each function's verdict, and the action after the chain")
public record SteeringTrace(String policyId, String ruleId, String chainId,
                            @ArraySchema(arraySchema = @Schema(description = "each hop the packet reached, in "
                                    + "path order; outcome INSPECTED or BYPASSED, or why the failure policy "
                                    + "decided: EXCEPTION, DEADLINE, NULL_VERDICT, MISSING_INSTANCE, ABANDONED, "
                                    + "INVALID_PROFILE"))
                            List<HopResult> hops,
                            @Schema(description = "the chain's verdict: PASS, DROP, REJECT or PASS_AND_BYPASS")
                            io.ringfence.spi.inspection.Verdict verdict,
                            @Schema(description = "the action after the chain: ALLOW, DROP or REJECT")
                            Action action) {

    public SteeringTrace {
        hops = List.copyOf(hops);
    }

    /** The trace of a chain's verdict on a packet, selected by {@code ruleId} of {@code policyId}. */
    public static SteeringTrace of(String policyId, String ruleId, String chainId, ChainVerdict decided) {
        return new SteeringTrace(policyId, ruleId, chainId, decided.hops(), decided.verdict(),
                actionOf(decided.verdict()));
    }

    /** What the data plane does with a packet its chain gave {@code verdict}. */
    static Action actionOf(io.ringfence.spi.inspection.Verdict verdict) {
        return switch (verdict) {
            case PASS, PASS_AND_BYPASS -> Action.ALLOW;
            case DROP -> Action.DROP;
            case REJECT -> Action.REJECT;
        };
    }
}
