package io.ringfence.compiler;

import io.ringfence.model.Action;
import java.util.List;

/**
 * The rule table of one vNIC: what its host enforces on it.
 *
 * @param vnicId        the vNIC
 * @param vmId          its VM
 * @param hostId        the host it runs on
 * @param generation    the generation that last changed it
 * @param in            entries for traffic entering the vNIC, in evaluation order
 * @param out           entries for traffic leaving the vNIC, in evaluation order
 * @param defaultAction what a flow no entry matches gets (ALLOW or DROP)
 * @param defaultLogged whether the default rule logs (flows it drops are always logged)
 */
public record VnicRuleSet(String vnicId, String vmId, String hostId, long generation, List<CompiledRule> in,
                          List<CompiledRule> out, Action defaultAction, boolean defaultLogged) {

    public VnicRuleSet {
        in = List.copyOf(in);
        out = List.copyOf(out);
    }

    /** True when both describe the same table, whatever their generations. */
    public boolean sameRulesAs(VnicRuleSet other) {
        return other != null && vnicId.equals(other.vnicId) && vmId.equals(other.vmId) && hostId.equals(other.hostId)
                && defaultAction == other.defaultAction && defaultLogged == other.defaultLogged
                && in.equals(other.in) && out.equals(other.out);
    }

    /** Number of entries, both directions. */
    public int size() {
        return in.size() + out.size();
    }
}
