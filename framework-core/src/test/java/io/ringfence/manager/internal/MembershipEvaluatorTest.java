package io.ringfence.manager.internal;

import static io.ringfence.model.ModelFixtures.all;
import static io.ringfence.model.ModelFixtures.any;
import static io.ringfence.model.ModelFixtures.condition;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.manager.Members;
import io.ringfence.model.Criterion;
import io.ringfence.model.Criterion.Attribute;
import io.ringfence.model.Criterion.Operator;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.model.ModelFixtures.GroupBuilder;
import io.ringfence.model.Vm;
import io.ringfence.net.IpPrefix;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Group membership as documented on {@link Group}, through {@link ModelManager#members}. */
class MembershipEvaluatorTest {

    private final AtomicInteger ids = new AtomicInteger();
    private final ModelManager manager = new ModelManager(new InMemoryModelStore(),
            Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC), () -> "g" + ids.incrementAndGet());

    /**
     * web-01: app:web env:prod, Ubuntu 22.04, vNICs on "front" (10.0.1.1, 2001:db8:1::1) and "mgmt" (10.9.0.1);
     * web-02: app:web env:dev, Ubuntu 20.04, "front" (10.0.1.3);
     * db-01: app:db env:prod, Windows Server 2019, "back" (10.0.2.0);
     * db-02: app:db, no OS, "back" (10.0.2.1) and a vNIC without segment or address;
     * lonely: no tags, no OS, no vNICs.
     */
    @BeforeEach
    void inventory() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.VM, vm("web-01", "web-01", "h1", "Ubuntu 22.04", List.of("app:web", "env:prod"),
                vnic("00:50:56:00:00:01", "front", "10.0.1.1", "2001:db8:1::1"),
                vnic("00:50:56:00:00:02", "mgmt", "10.9.0.1")), "t");
        manager.create(Kind.VM, vm("web-02", "web-02", "h1", "Ubuntu 20.04", List.of("app:web", "env:dev"),
                vnic("00:50:56:00:00:03", "front", "10.0.1.3")), "t");
        manager.create(Kind.VM, vm("db-01", "db-01", "h1", "Windows Server 2019", List.of("app:db", "env:prod"),
                vnic("00:50:56:00:00:04", "back", "10.0.2.0")), "t");
        manager.create(Kind.VM, vm("db-02", "db-02", "h1", null, List.of("app:db"),
                vnic("00:50:56:00:00:05", "back", "10.0.2.1"), vnic("00:50:56:00:00:06", null)), "t");
        manager.create(Kind.VM, vm("lonely", "lonely", "h1", null, List.of()), "t");
    }

    private Members members(GroupBuilder g) {
        Group created = manager.create(Kind.GROUP, g.build(), "t");
        return manager.members(created.id());
    }

    private List<String> vmIds(GroupBuilder g) {
        return members(g).vms().stream().map(Members.MemberVm::id).toList();
    }

    private List<String> vmIds(Criterion c) {
        return vmIds(group(null).criteria(c));
    }

    private List<String> addresses(GroupBuilder g) {
        return members(g).addresses().stream().map(IpPrefix::toString).toList();
    }

    // ---- criteria

    @ParameterizedTest(name = "{0} {1} ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "TAG     | EQUALS      | app:web             | web-01 web-02",
            "TAG     | EQUALS      | APP:WEB             | ",
            "TAG     | EQUALS      | app                 | ",
            "TAG     | NOT_EQUALS  | app:web             | db-01 db-02 lonely",
            "TAG     | NOT_EQUALS  | env:prod            | db-02 lonely web-02",
            "TAG     | STARTS_WITH | env:                | db-01 web-01 web-02",
            "TAG     | ENDS_WITH   | :prod               | db-01 web-01",
            "TAG     | CONTAINS    | pp:d                | db-01 db-02",
            "NAME    | EQUALS      | web-01              | web-01",
            "NAME    | EQUALS      | Web-01              | ",
            "NAME    | NOT_EQUALS  | web-01              | db-01 db-02 lonely web-02",
            "NAME    | STARTS_WITH | db-                 | db-01 db-02",
            "NAME    | ENDS_WITH   | -01                 | db-01 web-01",
            "NAME    | CONTAINS    | on                  | lonely",
            "OS      | EQUALS      | Ubuntu 22.04        | web-01",
            "OS      | NOT_EQUALS  | Ubuntu 22.04        | db-01 db-02 lonely web-02",
            "OS      | STARTS_WITH | Ubuntu              | web-01 web-02",
            "OS      | ENDS_WITH   | 2019                | db-01",
            "OS      | CONTAINS    | Server              | db-01",
            "OS      | CONTAINS    | server              | ",
            "SEGMENT | EQUALS      | front               | web-01 web-02",
            "SEGMENT | EQUALS      | mgmt                | web-01",
            "SEGMENT | NOT_EQUALS  | front               | db-01 db-02 lonely",
            "SEGMENT | NOT_EQUALS  | mgmt                | db-01 db-02 lonely web-02",
            "SEGMENT | STARTS_WITH | ba                  | db-01 db-02",
            "SEGMENT | ENDS_WITH   | gmt                 | web-01",
            "SEGMENT | CONTAINS    | r                   | web-01 web-02"})
    void conditions(Attribute attribute, Operator operator, String value, String expected) {
        List<String> want = expected == null ? List.of() : Arrays.asList(expected.trim().split("\\s+"));
        assertThat(vmIds(condition(attribute, operator, value))).containsExactlyElementsOf(want);
    }

    @Test
    void andOrNesting() {
        assertThat(vmIds(all(tagEquals("app:web"), tagEquals("env:prod")))).containsExactly("web-01");
        assertThat(vmIds(any(tagEquals("app:db"), condition(Attribute.NAME, Operator.EQUALS, "web-02"))))
                .containsExactly("db-01", "db-02", "web-02");
        // (app:web OR app:db) AND NOT env:prod AND segment != mgmt
        assertThat(vmIds(all(any(tagEquals("app:web"), tagEquals("app:db")),
                condition(Attribute.TAG, Operator.NOT_EQUALS, "env:prod"),
                condition(Attribute.SEGMENT, Operator.NOT_EQUALS, "mgmt")))).containsExactly("db-02", "web-02");
        // OR of ANDs
        assertThat(vmIds(any(all(tagEquals("app:web"), condition(Attribute.OS, Operator.ENDS_WITH, "20.04")),
                all(tagEquals("app:db"), condition(Attribute.OS, Operator.STARTS_WITH, "Windows")))))
                .containsExactly("db-01", "web-02");
        assertThat(vmIds(all(tagEquals("app:web"), tagEquals("app:db")))).isEmpty();
    }

    // ---- static members, nesting, exclusion

    @Test
    void staticVmsAddToCriteria() {
        assertThat(vmIds(group(null).criteria(tagEquals("app:web")).vms("lonely", "db-01")))
                .containsExactly("db-01", "lonely", "web-01", "web-02");
        assertThat(vmIds(group(null).vms("lonely"))).containsExactly("lonely");
        assertThat(vmIds(group(null))).isEmpty();
    }

    @Test
    void nestedGroupsAddTheirMembers() {
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.GROUP, group("one-db").vms("db-01").build(), "t");
        manager.create(Kind.GROUP, group("web-and-db").groups("web", "one-db").build(), "t");
        assertThat(vmIds(group(null).groups("web-and-db").vms("lonely")))
                .containsExactly("db-01", "lonely", "web-01", "web-02");
    }

    @Test
    void excludedVmsWinOverEveryWayIn() {
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "t");
        assertThat(vmIds(group(null).criteria(tagEquals("app:web")).excludedVms("web-02"))).containsExactly("web-01");
        assertThat(vmIds(group(null).vms("web-01").excludedVms("web-01"))).isEmpty();
        assertThat(vmIds(group(null).groups("web").excludedVms("web-01"))).containsExactly("web-02");
    }

    @Test
    void excludedGroupsWinOverEveryWayIn() {
        manager.create(Kind.GROUP, group("prod").criteria(tagEquals("env:prod")).build(), "t");
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "t");
        assertThat(vmIds(group(null).criteria(condition(Attribute.TAG, Operator.STARTS_WITH, "app:"))
                .excludedGroups("prod"))).containsExactly("db-02", "web-02");
        assertThat(vmIds(group(null).vms("web-01", "lonely").groups("web").excludedGroups("prod")))
                .containsExactly("lonely", "web-02");
    }

    @Test
    void exclusionsInsideANestedGroupApplyToItsMembersOnly() {
        manager.create(Kind.GROUP, group("web-not-02").criteria(tagEquals("app:web")).excludedVms("web-02").build(),
                "t");
        assertThat(vmIds(group(null).groups("web-not-02"))).containsExactly("web-01");
        // the parent's own criteria still bring web-02 in
        assertThat(vmIds(group(null).groups("web-not-02").criteria(tagEquals("env:dev")))).containsExactly("web-01",
                "web-02");
    }

    @Test
    void membersCarryNamesAndTheRevision() {
        Members m = members(group(null).criteria(tagEquals("app:db")));
        assertThat(m.vms()).containsExactly(new Members.MemberVm("db-01", "db-01"),
                new Members.MemberVm("db-02", "db-02"));
        assertThat(m.revision()).isEqualTo(manager.snapshot().revision());
        assertThat(m.groupId()).isEqualTo("g1");
    }

    @Test
    void membershipFollowsInventoryChanges() {
        manager.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "t");
        assertThat(manager.members("web").vms()).extracting(Members.MemberVm::id).containsExactly("web-01", "web-02");
        Vm lonely = manager.find(Kind.VM, "lonely").orElseThrow();
        manager.replace(Kind.VM, "lonely", new Vm("lonely", "lonely", "h1", null, List.of("app:web"),
                List.of(vnic("00:50:56:00:00:07", "front", "10.0.1.2")), 0), lonely.revision(), "t");
        Vm web02 = manager.find(Kind.VM, "web-02").orElseThrow();
        manager.replace(Kind.VM, "web-02", new Vm("web-02", "web-02", "h1", null, List.of(), web02.vnics(), 0),
                null, "t");
        Members m = manager.members("web");
        assertThat(m.vms()).extracting(Members.MemberVm::id).containsExactly("lonely", "web-01");
        assertThat(m.addresses()).extracting(IpPrefix::toString)
                .containsExactly("10.0.1.1", "10.0.1.2", "10.9.0.1", "2001:db8:1::1");
    }

    // ---- addresses

    @Test
    void addressesOfMemberVmsAsMinimalPrefixes() {
        // all vNICs of the VM, on every segment, IPv4 first then IPv6
        assertThat(addresses(group(null).criteria(tagEquals("app:web"))))
                .containsExactly("10.0.1.1", "10.0.1.3", "10.9.0.1", "2001:db8:1::1");
        // 10.0.2.0 and 10.0.2.1 merge into one prefix
        assertThat(addresses(group(null).criteria(tagEquals("app:db")))).containsExactly("10.0.2.0/31");
        assertThat(addresses(group(null).vms("lonely"))).isEmpty();
    }

    @Test
    void staticAddressesLessExcludedAddresses() {
        assertThat(addresses(group(null).addresses("10.0.0.0/24").excludedAddresses("10.0.0.0/25")))
                .containsExactly("10.0.0.128/25");
        assertThat(addresses(group(null).addresses("10.0.0.0/25", "10.0.0.128/25", "2001:db8::/48")
                .excludedAddresses("2001:db8:0:8000::/49")))
                .containsExactly("10.0.0.0/24", "2001:db8::/49");
        assertThat(addresses(group(null).addresses("10.0.0.0/24").excludedAddresses("10.0.0.0/8"))).isEmpty();
        // a group of addresses only has no VMs
        assertThat(members(group(null).addresses("10.0.1.1")).vms()).isEmpty();
    }

    @Test
    void excludedAddressesAlsoRemoveVmAddressesButNotTheVms() {
        Members m = members(group(null).criteria(tagEquals("app:web")).excludedAddresses("10.0.1.0/24"));
        assertThat(m.vms()).extracting(Members.MemberVm::id).containsExactly("web-01", "web-02");
        assertThat(m.addresses()).extracting(IpPrefix::toString).containsExactly("10.9.0.1", "2001:db8:1::1");
        assertThat(addresses(group(null).criteria(tagEquals("app:web")).excludedAddresses("::/0")))
                .containsExactly("10.0.1.1", "10.0.1.3", "10.9.0.1");
    }

    @Test
    void staticAndVmAddressesMerge() {
        assertThat(addresses(group(null).criteria(tagEquals("app:db")).addresses("10.0.2.2/31")))
                .containsExactly("10.0.2.0/30");
        assertThat(addresses(group(null).vms("web-01").addresses("2001:db8:1::/64")))
                .containsExactly("10.0.1.1", "10.9.0.1", "2001:db8:1::/64");
    }

    @Test
    void nestedGroupsBringTheirVmAddressesAndStaticAddresses() {
        manager.create(Kind.GROUP, group("child").vms("db-01").addresses("192.168.0.0/24")
                .excludedAddresses("192.168.0.0/25").build(), "t");
        assertThat(addresses(group(null).groups("child").addresses("172.16.0.0/12")))
                .containsExactly("10.0.2.0", "172.16.0.0/12", "192.168.0.128/25");
        manager.create(Kind.GROUP, group("grandchild-holder").groups("child").build(), "t");
        assertThat(addresses(group(null).groups("grandchild-holder")))
                .containsExactly("10.0.2.0", "192.168.0.128/25");
    }

    @Test
    void excludedGroupsRemoveTheirWholeAddressSet() {
        manager.create(Kind.GROUP, group("x").vms("db-01").addresses("10.0.5.0/24").build(), "t");
        Members m = members(group(null).addresses("10.0.0.0/16").criteria(tagEquals("app:db")).excludedGroups("x"));
        assertThat(m.vms()).extracting(Members.MemberVm::id).containsExactly("db-02");
        assertThat(m.addresses()).extracting(IpPrefix::toString).containsExactly(
                "10.0.0.0/23", "10.0.2.1", "10.0.2.2/31", "10.0.2.4/30", "10.0.2.8/29", "10.0.2.16/28",
                "10.0.2.32/27", "10.0.2.64/26", "10.0.2.128/25", "10.0.3.0/24", "10.0.4.0/24", "10.0.6.0/23",
                "10.0.8.0/21", "10.0.16.0/20", "10.0.32.0/19", "10.0.64.0/18", "10.0.128.0/17");
    }

    @Test
    void exclusionsWinOverNestedStaticAddresses() {
        manager.create(Kind.GROUP, group("nets").addresses("10.0.0.0/24", "2001:db8::/64").build(), "t");
        manager.create(Kind.GROUP, group("v6").addresses("2001:db8::/65").build(), "t");
        assertThat(addresses(group(null).groups("nets").excludedGroups("v6").excludedAddresses("10.0.0.128/25")))
                .containsExactly("10.0.0.0/25", "2001:db8:0:0:8000::/65");
    }

    @Test
    void ipv6VnicAddresses() {
        manager.create(Kind.VM, vm("v6", "v6", "h1", null, List.of("v6"),
                vnic("00:50:56:00:00:10", "six", "2001:db8:2::10", "2001:db8:2::11", "fe80::1"),
                vnic("00:50:56:00:00:11", "six", "2001:db8:2::12", "2001:db8:2::13", "192.0.2.1")), "t");
        assertThat(addresses(group(null).criteria(tagEquals("v6"))))
                .containsExactly("192.0.2.1", "2001:db8:2::10/126", "fe80::1");
        assertThat(addresses(group(null).criteria(tagEquals("v6")).excludedAddresses("2001:db8:2::11")))
                .containsExactly("192.0.2.1", "2001:db8:2::10", "2001:db8:2::12/127", "fe80::1");
    }

    @Test
    void aVmOnSeveralSegmentsIsMatchedByEachAndBringsAllItsAddresses() {
        Members viaMgmt = members(group(null).criteria(condition(Attribute.SEGMENT, Operator.EQUALS, "mgmt")));
        assertThat(viaMgmt.vms()).extracting(Members.MemberVm::id).containsExactly("web-01");
        assertThat(viaMgmt.addresses()).extracting(IpPrefix::toString)
                .containsExactly("10.0.1.1", "10.9.0.1", "2001:db8:1::1");
    }
}
