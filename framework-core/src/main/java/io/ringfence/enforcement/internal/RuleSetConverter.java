package io.ringfence.enforcement.internal;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.model.Action;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.util.List;
import java.util.Map;

/**
 * The compiler's values as the enforcement SPI has them. Staged entries are passed on marked
 * staged, in their place: they decide nothing, and a target that cannot count their would-be hits
 * skips them (the SPI says so).
 */
public final class RuleSetConverter {

    /** IANA protocol numbers. */
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;
    static final int ANY = -1;

    private RuleSetConverter() {
    }

    /**
     * A vNIC's rule set with the vNIC's MAC and addresses.
     *
     * @param vnic the vNIC as the model has it; null when the model lost it meanwhile (the rule set
     *             still goes out, without MAC and addresses: its rules are what enforcement needs)
     */
    public static TargetRuleSet ruleSet(VnicRuleSet set, Vnic vnic) {
        return ruleSet(set, vnic, Map.of());
    }

    /**
     * A vNIC's rule set, taking the entries found in {@code converted} (by identity) from there
     * instead of converting them again.
     */
    public static TargetRuleSet ruleSet(VnicRuleSet set, Vnic vnic, Map<CompiledRule, TargetRule> converted) {
        String mac = vnic == null ? null : vnic.mac().toString();
        List<String> addresses = vnic == null ? List.of() : vnic.addresses().stream().map(RuleSetConverter::cidr).toList();
        return new TargetRuleSet(set.vnicId(), set.vmId(), set.hostId(), mac, addresses, set.generation(),
                set.in().stream().map(r -> rule(r, converted)).toList(),
                set.out().stream().map(r -> rule(r, converted)).toList(),
                action(set.defaultAction()), set.defaultLogged());
    }

    private static TargetRule rule(CompiledRule rule, Map<CompiledRule, TargetRule> converted) {
        TargetRule known = converted.get(rule);
        return known != null ? known : rule(rule);
    }

    public static TargetRule rule(CompiledRule rule) {
        return new TargetRule(rule.ruleId(), rule.policyId(), action(rule.action()), rule.logged(), rule.staged(),
                rule.remote(), rule.remoteNegated(), rule.services().stream().map(RuleSetConverter::service).toList(),
                rule.tag());
    }

    public static TargetService service(ServiceEntry entry) {
        return new TargetService(protocol(entry.protocol()), ranges(entry.destinationPorts()),
                ranges(entry.sourcePorts()), entry.icmpType(), entry.icmpCode());
    }

    public static AddressGroupSet addressGroup(AddressGroup group) {
        return new AddressGroupSet(group.id(), group.addresses().toPrefixes().stream().map(RuleSetConverter::cidr).toList());
    }

    /** The default rule a host delta carries. */
    public static RuleSetUpdate.DefaultRule defaultRule(HostDelta delta) {
        return new RuleSetUpdate.DefaultRule(action(delta.defaultAction()), delta.defaultLogged());
    }

    static RuleAction action(Action action) {
        return switch (action) {
            case ALLOW -> RuleAction.ALLOW;
            case DROP -> RuleAction.DROP;
            case REJECT -> RuleAction.REJECT;
        };
    }

    static int protocol(Protocol protocol) {
        return switch (protocol) {
            case TCP -> TCP;
            case UDP -> UDP;
            case ICMP -> ICMP;
            case ICMPV6 -> ICMPV6;
            case ANY -> ANY;
        };
    }

    /** CIDR notation with the length always written ({@link IpPrefix#toString} leaves it out for one address). */
    static String cidr(IpPrefix prefix) {
        return prefix.isHost() ? prefix + "/" + prefix.length() : prefix.toString();
    }

    private static List<int[]> ranges(List<PortRange> ports) {
        return ports.stream().map(p -> new int[] {p.from(), p.to()}).toList();
    }
}
