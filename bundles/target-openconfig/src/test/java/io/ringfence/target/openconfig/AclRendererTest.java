package io.ringfence.target.openconfig;

import static io.ringfence.target.openconfig.Fixtures.group;
import static io.ringfence.target.openconfig.Fixtures.icmp;
import static io.ringfence.target.openconfig.Fixtures.icmpv6;
import static io.ringfence.target.openconfig.Fixtures.negated;
import static io.ringfence.target.openconfig.Fixtures.rule;
import static io.ringfence.target.openconfig.Fixtures.ruleSet;
import static io.ringfence.target.openconfig.Fixtures.staged;
import static io.ringfence.target.openconfig.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.openconfig.DeviceAcl.Action;
import io.ringfence.target.openconfig.DeviceAcl.Entry;
import io.ringfence.target.openconfig.DeviceAcl.Match;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AclRendererTest {

    private static final List<String> WEB = List.of("10.0.1.2/32", "2001:db8:1::2/128");

    @Test
    void stagedEntriesAreLeftOutAndTheDefaultRuleComesLast() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(
                staged(rule("audit", RuleAction.DROP, null)),
                rule("web-to-app", RuleAction.DROP, "app", tcp(8080))));

        List<Entry> out = entries(render(s, group("app", "10.0.2.0/24")), "web-01-nic0-out-ipv4");

        assertThat(out).extracting(Entry::description).containsExactly("rule web-to-app of policy shop", "default rule");
        assertThat(out).extracting(Entry::sequenceId).containsExactly(10L, 20L);
        assertThat(out.get(1).match()).isEqualTo(Match.ANY);
    }

    @Test
    void aNegatedGroupBecomesTheExactComplementOfItsPrefixes() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(
                negated(rule("not-internal", RuleAction.DROP, "internal"))));

        DeviceAcl acl = render(s, group("internal", "10.0.0.0/8"));

        assertThat(entries(acl, "web-01-nic0-out-ipv4")).filteredOn(e -> e.action() == Action.DROP)
                .filteredOn(e -> e.description().startsWith("rule"))
                .extracting(e -> e.match().destination().toString())
                .containsExactly("0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3",
                        "64.0.0.0/2", "128.0.0.0/1");
        // the group has no IPv6 prefix: every IPv6 destination is outside it
        assertThat(entries(acl, "web-01-nic0-out-ipv6")).filteredOn(e -> e.description().startsWith("rule"))
                .singleElement().satisfies(e -> assertThat(e.match().destination()).isNull());
    }

    @Test
    void theExpansionOverTheLimitIsRefusedBeforeAnyEntryIsBuilt() {
        String[] prefixes = IntStream.range(0, 300).mapToObj(i -> "10.1." + i / 256 + "." + i % 256 + "/32")
                .toArray(String[]::new);
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(
                rule("many", RuleAction.ALLOW, "big", tcp(80), tcp(443))));

        assertThatThrownBy(() -> render(s, 500, group("big", prefixes)))
                .isInstanceOfSatisfying(RenderingException.class, e -> {
                    assertThat(e.code()).isEqualTo("too-many-entries");
                    assertThat(e.getMessage()).contains("over its limit of 500")
                            .contains("ringfence-web-01-nic0-out-ipv4 (601)")
                            .contains("ringfence-web-01-nic0-in-ipv4 (601)");
                });
    }

    @Test
    void theComplementOfAHugeGroupStopsAtTheLimit() {
        // every other /128 of a /116: 2,048 prefixes whose complement is 2,048 more
        String[] prefixes = IntStream.range(0, 2048).mapToObj(i -> "2001:db8::" + Integer.toHexString(2 * i) + "/128")
                .toArray(String[]::new);
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(
                negated(rule("not-them", RuleAction.DROP, "sparse"))));

        assertThatThrownBy(() -> render(s, 100, group("sparse", prefixes)))
                .isInstanceOfSatisfying(RenderingException.class,
                        e -> assertThat(e.code()).isEqualTo("too-many-entries"));
    }

    @Test
    void whatTheModelCannotSayIsRefusedAsUnsupported() {
        List<TargetService> unsupported = List.of(
                icmp(99, null),                                                    // no identity
                icmpv6(150, null),                                                 // unassigned
                icmp(8, 5),                                                        // echo has code 0 only
                new TargetService(1, List.of(), List.of(), null, 0),               // code without type
                new TargetService(1, List.of(new int[] {1, 1}), List.of(), null, null), // ports on ICMP
                new TargetService(255, List.of(), List.of(), null, null));         // reserved protocol
        for (TargetService service : unsupported) {
            TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(rule("odd", RuleAction.ALLOW, null, service)),
                    List.of());
            assertThatThrownBy(() -> render(s))
                    .as("protocol %d type %s code %s", service.protocol(), service.icmpType(), service.icmpCode())
                    .isInstanceOfSatisfying(RenderingException.class, e -> {
                        assertThat(e.code()).isEqualTo("unsupported-rule");
                        assertThat(e.getMessage()).contains("rule odd (vNIC web-01-nic0)");
                    });
        }
    }

    @Test
    void anIcmpTypeWithoutIdentityIsNamedInTheMessage() {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(rule("odd", RuleAction.ALLOW, null, icmp(99, null))),
                List.of());

        assertThatThrownBy(() -> render(s)).hasMessageContaining("ICMP type 99 has no identity in openconfig-icmpv4-types");
    }

    @Test
    void repliesOfAnAllowForAnyProtocolAreTcpRepliesUdpAndIcmp() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(rule("anything", RuleAction.ALLOW, "app")));

        List<Entry> in = entries(render(s, group("app", "10.0.2.0/24")), "web-01-nic0-in-ipv4");

        assertThat(in).filteredOn(e -> e.description().startsWith("replies")).extracting(Entry::match).containsExactly(
                new Match(Prefix.parse("10.0.2.0/24"), Prefix.parse("10.0.1.2/32"), 6, null, null, null, null, true),
                new Match(Prefix.parse("10.0.2.0/24"), Prefix.parse("10.0.1.2/32"), 17, null, null, null, null, false),
                new Match(Prefix.parse("10.0.2.0/24"), Prefix.parse("10.0.1.2/32"), 1, null, null, null, null, false));
    }

    @Test
    void denyingRulesHaveNoReplies() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(rule("no", RuleAction.REJECT, "app", tcp(22))));

        assertThat(entries(render(s, group("app", "10.0.2.0/24")), "web-01-nic0-in-ipv4"))
                .extracting(Entry::description).containsExactly("default rule");
    }

    @Test
    void aFamilyTheVnicHasNoAddressOfHoldsOnlyNeighbourDiscoveryAndTheDefaultRule() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, List.of("10.0.1.2/32"), List.of(),
                List.of(rule("out", RuleAction.ALLOW, null, tcp(443))));

        assertThat(entries(render(s), "web-01-nic0-out-ipv6")).extracting(Entry::description)
                .containsExactly("IPv6 neighbour discovery", "IPv6 neighbour discovery", "default rule");
    }

    @Test
    void aFullPortRangeIsNoPortMatch() throws Exception {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(rule("tcp", RuleAction.ALLOW, null,
                tcp(0, 65535))));

        Entry e = entries(render(s), "web-01-nic0-out-ipv4").get(0);

        assertThat(e.match()).isEqualTo(new Match(Prefix.parse("10.0.1.2/32"), null, 6, null, null, null, null, false));
    }

    @Test
    void interfacesComeFromTheMapOrTheTemplateAndOnePortHoldsOneVnic() throws Exception {
        TargetRuleSet web = ruleSet("web-01", 1, WEB, List.of(), List.of());
        TargetRuleSet app = ruleSet("app-01", 1, List.of("10.0.2.2/32"), List.of(), List.of());
        OpenConfigConfiguration mapped = new OpenConfigConfiguration("oc:leaf-01", URI.create("http://x"),
                "u", "p", List.of("esx-01"), Map.of("web-01-nic0", "Ethernet1/1.100"), "Port-{vm}", 100,
                Duration.ofSeconds(1), Duration.ofSeconds(1));

        DeviceAcl acl = new AclRenderer(mapped).render(DesiredState.EMPTY.with(Fixtures.full(1, List.of(web, app),
                List.of())));

        assertThat(acl.interfaces()).extracting(DeviceAcl.Binding::id, DeviceAcl.Binding::name,
                DeviceAcl.Binding::subinterface).containsExactly(
                tuple("Port-app-01", "Port-app-01", null),
                tuple("Ethernet1/1.100", "Ethernet1/1", 100L));

        TargetRuleSet secondNic = new TargetRuleSet("app-01-nic1", "app-01", "esx-01", "02:00:00:00:00:02",
                List.of("10.0.2.3/32"), 1, List.of(), List.of(), RuleAction.DROP, false);
        assertThatThrownBy(() -> new AclRenderer(mapped).render(DesiredState.EMPTY.with(Fixtures.full(1,
                List.of(app, secondNic), List.of()))))
                .isInstanceOfSatisfying(RenderingException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown-interface");
                    assertThat(e.getMessage()).contains("would share interface Port-app-01");
                });
        assertThatThrownBy(() -> render(ruleSet("db-01", 1, List.of(), List.of(), List.of())))
                .isInstanceOfSatisfying(RenderingException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown-interface");
                    assertThat(e.getMessage()).contains("vNIC db-01-nic0");
                });
    }

    @Test
    void aRuleNamingAGroupTheTargetWasNotGivenIsRefused() {
        TargetRuleSet s = ruleSet("web-01", 3, WEB, List.of(), List.of(rule("lost", RuleAction.ALLOW, "nowhere")));

        assertThatThrownBy(() -> render(s)).isInstanceOfSatisfying(RenderingException.class,
                e -> assertThat(e.code()).isEqualTo("unknown-address-group"));
    }

    private static DeviceAcl render(TargetRuleSet s, AddressGroupSet... groups) throws RenderingException {
        return render(s, 10_000, groups);
    }

    private static DeviceAcl render(TargetRuleSet s, int maxEntries, AddressGroupSet... groups)
            throws RenderingException {
        OpenConfigConfiguration config = Fixtures.config("http://127.0.0.1:1",
                Map.of("web-01-nic0", "Ethernet1/1"), maxEntries);
        return new AclRenderer(config).render(DesiredState.EMPTY.with(Fixtures.full(1, List.of(s), List.of(groups))));
    }

    private static List<Entry> entries(DeviceAcl acl, String set) {
        List<Entry> out = new ArrayList<>();
        acl.sets().stream().filter(s -> s.name().equals("ringfence-" + set)).forEach(s -> out.addAll(s.entries()));
        assertThat(acl.sets()).extracting(DeviceAcl.AclSet::name).contains("ringfence-" + set);
        return out;
    }
}
