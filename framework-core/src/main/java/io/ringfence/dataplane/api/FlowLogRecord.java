package io.ringfence.dataplane.api;

import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.time.Instant;

/**
 * One logged decision on a new flow: the decision of a logged rule (or of the default rule), or
 * the would-be decision of a logged staged rule, marked {@code staged}.
 *
 * @param time            when the flow's first packet was decided
 * @param hostId          the host whose agent decided it
 * @param vnicId          the vNIC the packet crossed
 * @param vmId            the vNIC's VM, null if unknown
 * @param direction       IN or OUT
 * @param protocol        IANA protocol number
 * @param source          source address
 * @param destination     destination address
 * @param sourcePort      TCP/UDP source port, else 0
 * @param destinationPort TCP/UDP destination port, else 0
 * @param icmpType        ICMP type, else -1
 * @param icmpCode        ICMP code, else -1
 * @param action          the verdict (staged: the verdict the staged rule would have given)
 * @param ruleId          the deciding rule, or {@code "default"} (staged: the staged rule)
 * @param policyId        the rule's policy; null for the default rule
 * @param tag             the rule's tag; may be null
 * @param staged          the record is a staged rule's would-be decision: the flow was not decided by it
 * @param actualAction    staged: the verdict the flow actually got; null otherwise
 * @param actualRuleId    staged: the rule that actually decided it, or {@code "default"}; null otherwise
 */
public record FlowLogRecord(Instant time, String hostId, String vnicId, String vmId, Direction direction,
                            int protocol, String source, String destination, int sourcePort, int destinationPort,
                            int icmpType, int icmpCode, Action action, String ruleId, String policyId, String tag,
                            boolean staged, Action actualAction, String actualRuleId) {
}
