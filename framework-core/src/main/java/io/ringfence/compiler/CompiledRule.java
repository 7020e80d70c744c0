package io.ringfence.compiler;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.ServiceEntry;
import java.util.List;

/**
 * One entry of a vNIC's rule table, in one direction. The same instance serves every vNIC the
 * rule lands on in that direction.
 *
 * @param ruleId         the rule
 * @param policyId       its policy
 * @param category       the policy's category
 * @param policySequence the policy's sequence
 * @param ruleSequence   the rule's sequence
 * @param direction      IN or OUT (never IN_OUT)
 * @param action         ALLOW, DROP or REJECT
 * @param logged         log the flows this entry decides (staged: the flows it would have decided)
 * @param staged         the rule is staged: the entry is evaluated in its place but decides nothing
 * @param tag            the rule's tag, may be null
 * @param remote         id of the address group the other end must be in; null for ANY
 * @param remoteNegated  the other end must NOT be in {@code remote}
 * @param services       what the packet must match (any entry); empty for any protocol and port
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompiledRule(String ruleId, String policyId, Category category, int policySequence, int ruleSequence,
                           Direction direction, Action action, boolean logged, boolean staged, String tag,
                           String remote, boolean remoteNegated, List<ServiceEntry> services) {

    public CompiledRule {
        services = List.copyOf(services);
        if (direction == Direction.IN_OUT) {
            throw new IllegalArgumentException("a compiled entry is IN or OUT");
        }
    }

    /** An entry of an enforced (not staged) rule. */
    public CompiledRule(String ruleId, String policyId, Category category, int policySequence, int ruleSequence,
                        Direction direction, Action action, boolean logged, String tag, String remote,
                        boolean remoteNegated, List<ServiceEntry> services) {
        this(ruleId, policyId, category, policySequence, ruleSequence, direction, action, logged, false, tag, remote,
                remoteNegated, services);
    }
}
