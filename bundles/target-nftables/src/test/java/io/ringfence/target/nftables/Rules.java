package io.ringfence.target.nftables;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Short ways to write SPI values in tests. */
final class Rules {

    private Rules() {
    }

    static TargetService tcp(int... ports) {
        return new TargetService(6, java.util.Arrays.stream(ports).mapToObj(p -> new int[] {p, p}).toList(), List.of(),
                null, null);
    }

    static TargetService tcpRange(int from, int to) {
        return new TargetService(6, List.of(new int[] {from, to}), List.of(), null, null);
    }

    static TargetService icmp(Integer type, Integer code) {
        return new TargetService(1, List.of(), List.of(), type, code);
    }

    static TargetRule rule(String id, RuleAction action, String remote, TargetService... services) {
        return new TargetRule(id, "p", action, false, false, remote, false, List.of(services));
    }

    static TargetRule staged(String id, RuleAction action, String remote, TargetService... services) {
        return new TargetRule(id, "p", action, false, true, remote, false, List.of(services));
    }

    static TargetRule negated(String id, RuleAction action, String remote, TargetService... services) {
        return new TargetRule(id, "p", action, false, false, remote, true, List.of(services));
    }

    static TargetRuleSet ruleSet(String vnic, long generation, List<TargetRule> in, List<TargetRule> out,
                                 RuleAction defaultAction) {
        return new TargetRuleSet(vnic, "vm-" + vnic, "hv1", null, List.of(), generation, in, out, defaultAction, false);
    }

    static AddressGroupSet group(String id, String... prefixes) {
        return new AddressGroupSet(id, List.of(prefixes));
    }

    static RuleSetUpdate full(long sequence, List<TargetRuleSet> sets, AddressGroupSet... groups) {
        return new RuleSetUpdate(sequence, true, sets, List.of(), List.of(groups), List.of());
    }

    static NftablesConfiguration config(Map<String, String> interfaces) {
        return new NftablesConfiguration("nft:hv1", List.of("hv1"), interfaces, List.of("nft"), "ringfence",
                Duration.ofDays(5), Duration.ofSeconds(5));
    }
}
