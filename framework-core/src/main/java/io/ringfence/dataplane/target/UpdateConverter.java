package io.ringfence.dataplane.target;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An update as the host delta a {@link io.ringfence.dataplane.agent.HostAgent} applies: the
 * inverse of the framework's conversion of compiled rule sets into the SPI. The SPI carries what
 * enforcement and its logs need (rule, policy, tag, action, flags, remote, services, in evaluation
 * order); what it leaves out only ordered the entries in the compiler (category, sequences: the
 * list order says it) and is left out here too (null category, sequences 0).
 */
final class UpdateConverter {

    private UpdateConverter() {
    }

    /**
     * The update as a delta of host {@code hostId}.
     *
     * @throws UnsupportedRuleException for what the data plane cannot enforce (a protocol it does
     *                                  not know, a malformed prefix or port range)
     */
    static HostDelta delta(String hostId, RuleSetUpdate update, ParsedAddressSets addresses,
                           Function<String, Map<TargetRule, CompiledRule>> converted) {
        try {
            List<VnicRuleSet> sets = update.ruleSets().stream()
                    .map(s -> ruleSet(s, converted.apply(s.vnicId()))).toList();
            // the agent takes the generation of each rule set from the set itself; the delta's is informative
            long generation = sets.stream().mapToLong(VnicRuleSet::generation).max().orElse(0);
            RuleSetUpdate.DefaultRule d = update.defaultRule();
            return new HostDelta(hostId, generation, update.full(), sets, update.removedVnics(),
                    update.addressGroups().stream().map(g -> addressGroup(g, addresses)).toList(),
                    update.releasedGroups(), action(d.action()), d.logged());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedRuleException("update " + update.sequence() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A rule set, taking the entries found in {@code converted} (by identity: the framework sends
     * the entries a change did not touch as the same objects) from there. Reusing the agent's own
     * entry objects also lets its tables tell unchanged entries by identity.
     */
    static VnicRuleSet ruleSet(TargetRuleSet set, Map<TargetRule, CompiledRule> converted) {
        return new VnicRuleSet(set.vnicId(), set.vmId(), set.hostId(), set.generation(),
                set.inbound().stream().map(r -> rule(r, Direction.IN, converted)).toList(),
                set.outbound().stream().map(r -> rule(r, Direction.OUT, converted)).toList(),
                action(set.defaultAction()), set.defaultLogged());
    }

    private static CompiledRule rule(TargetRule rule, Direction direction, Map<TargetRule, CompiledRule> converted) {
        CompiledRule known = converted.get(rule);
        return known != null && known.direction() == direction ? known : rule(rule, direction);
    }

    /** The conversions of a rule set's entries, by identity of the SPI's entries. */
    static Map<TargetRule, CompiledRule> conversions(TargetRuleSet from, VnicRuleSet to) {
        Map<TargetRule, CompiledRule> out = new IdentityHashMap<>();
        for (int i = 0; i < from.inbound().size(); i++) {
            out.put(from.inbound().get(i), to.in().get(i));
        }
        for (int i = 0; i < from.outbound().size(); i++) {
            out.put(from.outbound().get(i), to.out().get(i));
        }
        return out;
    }

    static CompiledRule rule(TargetRule rule, Direction direction) {
        return new CompiledRule(rule.ruleId(), rule.policyId(), null, 0, 0, direction, action(rule.action()),
                rule.logged(), rule.staged(), rule.tag(), rule.remoteGroup(), rule.remoteNegated(),
                rule.services().stream().map(UpdateConverter::service).toList());
    }

    static ServiceEntry service(TargetService service) {
        return new ServiceEntry(protocol(service.protocol()), ranges(service.destinationPorts()),
                ranges(service.sourcePorts()), service.icmpType(), service.icmpCode());
    }

    static AddressGroup addressGroup(AddressGroupSet group, ParsedAddressSets addresses) {
        return new AddressGroup(group.id(), List.of(), addresses.of(group.prefixes()), 0);
    }

    static Action action(RuleAction action) {
        return switch (action) {
            case ALLOW -> Action.ALLOW;
            case DROP -> Action.DROP;
            case REJECT -> Action.REJECT;
        };
    }

    /** The model's protocol of an IANA number; the data plane knows no other. */
    static Protocol protocol(int number) {
        return switch (number) {
            case 6 -> Protocol.TCP;
            case 17 -> Protocol.UDP;
            case 1 -> Protocol.ICMP;
            case 58 -> Protocol.ICMPV6;
            case -1 -> Protocol.ANY;
            default -> throw new IllegalArgumentException("protocol " + number + " is not enforced by host agents");
        };
    }

    private static List<PortRange> ranges(List<int[]> ranges) {
        return ranges.stream().map(r -> new PortRange(r[0], r[1])).toList();
    }

    /** The update names something the data plane cannot enforce; nothing of it applies. */
    static final class UnsupportedRuleException extends IllegalArgumentException {
        UnsupportedRuleException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
