package io.ringfence.target.openconfig;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Rule sets, updates and configurations for the tests, written the way the compiler hands them out. */
final class Fixtures {

    static final String USER = "ringfence";
    static final String PASSWORD = "s3cret-Passw0rd";

    private Fixtures() {
    }

    static TargetService tcp(int port) {
        return new TargetService(6, List.of(new int[] {port, port}), List.of(), null, null);
    }

    static TargetService tcp(int from, int to) {
        return new TargetService(6, List.of(new int[] {from, to}), List.of(), null, null);
    }

    static TargetService udp(int port, int sourceFrom, int sourceTo) {
        return new TargetService(17, List.of(new int[] {port, port}), List.of(new int[] {sourceFrom, sourceTo}),
                null, null);
    }

    static TargetService icmp(Integer type, Integer code) {
        return new TargetService(1, List.of(), List.of(), type, code);
    }

    static TargetService icmpv6(Integer type, Integer code) {
        return new TargetService(58, List.of(), List.of(), type, code);
    }

    static TargetRule rule(String id, RuleAction action, String group, TargetService... services) {
        return new TargetRule(id, "shop", action, false, false, group, false, Arrays.asList(services));
    }

    static TargetRule logged(TargetRule r) {
        return new TargetRule(r.ruleId(), r.policyId(), r.action(), true, r.staged(), r.remoteGroup(),
                r.remoteNegated(), r.services());
    }

    static TargetRule staged(TargetRule r) {
        return new TargetRule(r.ruleId(), r.policyId(), r.action(), r.logged(), true, r.remoteGroup(),
                r.remoteNegated(), r.services());
    }

    static TargetRule negated(TargetRule r) {
        return new TargetRule(r.ruleId(), r.policyId(), r.action(), r.logged(), r.staged(), r.remoteGroup(), true,
                r.services());
    }

    static TargetRuleSet ruleSet(String vm, long generation, List<String> addresses, List<TargetRule> inbound,
                                 List<TargetRule> outbound) {
        return new TargetRuleSet(vm + "-nic0", vm, "esx-01", "02:00:00:00:00:01", addresses, generation, inbound,
                outbound, RuleAction.DROP, false);
    }

    static AddressGroupSet group(String id, String... prefixes) {
        return new AddressGroupSet(id, List.of(prefixes));
    }

    static RuleSetUpdate full(long sequence, List<TargetRuleSet> sets, List<AddressGroupSet> groups) {
        return new RuleSetUpdate(sequence, true, sets, List.of(), groups, List.of());
    }

    /**
     * The shop's web server: out to the app tier on 8080 (allowed, logged) and 22 (rejected), a
     * staged rule; in, echo from the jump hosts and DNS from high ports (dropped, logged).
     */
    static RuleSetUpdate webServer(long sequence) {
        TargetRuleSet web = ruleSet("web-01", 7, List.of("10.0.1.2/32", "2001:db8:1::2/128"),
                List.of(rule("ping-from-jump", RuleAction.ALLOW, "jump", icmp(8, 0), icmpv6(128, null)),
                        logged(rule("block-dns", RuleAction.DROP, null, udp(53, 1024, 65535)))),
                List.of(logged(rule("web-to-app", RuleAction.ALLOW, "app", tcp(8080))),
                        staged(rule("cut-web-api", RuleAction.DROP, "app", tcp(8080))),
                        rule("no-ssh", RuleAction.REJECT, "app", tcp(22))));
        return full(sequence, List.of(web), List.of(group("app", "10.0.2.0/24", "2001:db8:2::/64"),
                group("jump", "10.0.9.0/28")));
    }

    static OpenConfigConfiguration config(String baseUrl, Map<String, String> interfaces, int maxEntries) {
        return new OpenConfigConfiguration("oc:leaf-01", URI.create(baseUrl), USER, PASSWORD,
                List.of("esx-01"), interfaces, "", maxEntries, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
