package io.ringfence.rest.internal.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.IpPrefix;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a VM's vNICs enforce: the rule table of each, as the policy compiler has it, with the
 * remote sides resolved to addresses and the rules and policies named.
 *
 * @param vmId       the VM
 * @param vmName     its name
 * @param generation the compiler's generation when the tables were read
 * @param vnics      one table per vNIC, in the VM's vNIC order
 */
@Schema(description = "The rule tables of a VM's vNICs, as the policy compiler has them")
public record EffectiveRules(String vmId, String vmName, long generation, List<VnicRuleTable> vnics) {

    public EffectiveRules {
        vnics = List.copyOf(vnics);
    }

    /**
     * The rule table of one vNIC.
     *
     * @param vnicId        the vNIC
     * @param hostId        the host that enforces it
     * @param generation    the compiler generation that last changed this table
     * @param in            entries for traffic entering the vNIC, in evaluation order (first match wins)
     * @param out           entries for traffic leaving the vNIC, in evaluation order (first match wins)
     * @param defaultAction what a flow no entry matches gets: ALLOW or DROP
     * @param defaultLogged whether the default rule logs (flows it drops are always logged)
     */
    @Schema(description = "The rule table of one vNIC: entries in evaluation order, then the default rule")
    public record VnicRuleTable(String vnicId, String hostId, long generation, List<EffectiveRuleEntry> in,
                                List<EffectiveRuleEntry> out, Action defaultAction, boolean defaultLogged) {

        public VnicRuleTable {
            in = List.copyOf(in);
            out = List.copyOf(out);
        }
    }

    /**
     * One entry of a vNIC's table: a rule as it applies to this vNIC in one direction.
     *
     * @param policyId       the rule's policy
     * @param policyName     the policy's name (absent when it has none)
     * @param ruleId         the rule
     * @param ruleName       the rule's name (absent when it has none)
     * @param category       the policy's category
     * @param policySequence the policy's sequence within its category
     * @param ruleSequence   the rule's sequence within its policy
     * @param action         ALLOW, DROP or REJECT
     * @param logged         whether flows this entry decides are logged
     * @param staged         the rule is staged: the entry is evaluated in its place but decides nothing (its
     *                       would-be hits are counted apart)
     * @param tag            the rule's tag (absent when it has none)
     * @param services       the protocols and ports matched (any entry); empty for any protocol and port
     * @param remote         the other end of the flow: the source for IN, the destination for OUT
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "A rule as it applies to one vNIC in one direction")
    public record EffectiveRuleEntry(String policyId, String policyName, String ruleId, String ruleName,
                                     Category category, int policySequence, int ruleSequence, Action action,
                                     boolean logged, boolean staged, String tag, List<ServiceEntry> services,
                                     RemoteSide remote) {

        public EffectiveRuleEntry {
            services = List.copyOf(services);
        }
    }

    /**
     * The other end of a flow an entry matches: any address, or the addresses of an address group
     * (or, when negated, every address outside them).
     *
     * @param any            true when the entry matches any address (no group named); nothing else is given then
     * @param addressGroupId the address group (derived from the ids of the groups of the rule's side)
     * @param groups         the groups of the rule's side
     * @param negated        the other end must NOT be in the addresses
     * @param addresses      the address group's addresses as the minimal list of prefixes, IPv4 first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The other end of the flow: {\"any\":true}, or an address group resolved to its addresses")
    public record RemoteSide(boolean any, String addressGroupId, List<String> groups, Boolean negated,
                             List<IpPrefix> addresses) {

        /** Any address. */
        public static final RemoteSide ANY = new RemoteSide(true, null, null, null, null);

        public RemoteSide {
            groups = groups == null ? null : List.copyOf(groups);
            addresses = addresses == null ? null : List.copyOf(addresses);
        }
    }
}
