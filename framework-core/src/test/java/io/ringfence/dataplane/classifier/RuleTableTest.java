package io.ringfence.dataplane.classifier;

import static io.ringfence.dataplane.classifier.ClassifierFixtures.any;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.entry;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.icmp;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.icmpv6;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.ports;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.tcp;
import static io.ringfence.dataplane.classifier.ClassifierFixtures.udp;
import static io.ringfence.model.Direction.IN;
import static io.ringfence.model.Direction.OUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hand-written cases, one per point of the matching semantics; each also checks the oracle agrees. */
class RuleTableTest {

    private static final Map<String, AddressSet> GROUPS = Map.of(
            "web", set("10.0.1.0/24", "2001:db8:1::/48"),
            "db", set("10.0.2.5", "10.0.2.6"),
            "v6only", set("2001:db8::/32"),
            "empty", AddressSet.EMPTY,
            "all", set("0.0.0.0/0", "::/0"));

    private static AddressSet set(String... prefixes) {
        return AddressSet.of(Arrays.stream(prefixes).map(IpPrefix::parse).toList());
    }

    /** Classifies with the fast table, checks the oracle agrees, returns the index. */
    private static int classify(Direction direction, List<CompiledRule> entries, Packet p) {
        int fast = RuleTable.build(direction, entries, GROUPS::get).classify(p);
        int oracle = new LinearRuleTable(direction, entries, GROUPS::get).classify(p);
        assertEquals(oracle, fast, "fast table and oracle disagree on " + p);
        return fast;
    }

    private static Packet tcpOut(String destination, int destinationPort) {
        return Packet.tcp("192.168.0.1", 40000, destination, destinationPort, Packet.SYN);
    }

    @Test
    void emptyTableMatchesNothing() {
        RuleTable table = RuleTable.build(OUT, List.of(), GROUPS::get);
        assertEquals(0, table.size());
        assertEquals(-1, table.classify(tcpOut("10.0.1.1", 80)));
        assertEquals(-1, table.classify(Packet.icmp("::1", "::2", 128, 0, 1)));
    }

    @Test
    void anyRemoteAndNoServicesMatchEverything() {
        List<CompiledRule> t = List.of(entry("r", OUT, null, false));
        assertEquals(0, classify(OUT, t, tcpOut("8.8.8.8", 1)));
        assertEquals(0, classify(OUT, t, Packet.udp("::1", 5, "2001:db8::9", 53, null)));
        assertEquals(0, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 8, 0, 1)));
    }

    @Test
    void remoteGroupMatchesItsAddressesOnly() {
        List<CompiledRule> t = List.of(entry("r", OUT, "web", false));
        assertEquals(0, classify(OUT, t, tcpOut("10.0.1.0", 80)));
        assertEquals(0, classify(OUT, t, tcpOut("10.0.1.255", 80)));
        assertEquals(-1, classify(OUT, t, tcpOut("10.0.0.255", 80)));
        assertEquals(-1, classify(OUT, t, tcpOut("10.0.2.0", 80)));
    }

    @Test
    void negatedRemoteMatchesTheComplement() {
        List<CompiledRule> t = List.of(entry("r", OUT, "web", true));
        assertEquals(-1, classify(OUT, t, tcpOut("10.0.1.7", 80)));
        assertEquals(0, classify(OUT, t, tcpOut("10.0.2.7", 80)));
        assertEquals(0, classify(OUT, t, tcpOut("0.0.0.0", 80)));
        assertEquals(0, classify(OUT, t, tcpOut("255.255.255.255", 80)));
        assertEquals(-1, classify(OUT, t, Packet.tcp("::1", 1, "2001:db8:1::5", 22, 0)));
        assertEquals(0, classify(OUT, t, Packet.tcp("::1", 1, "2001:db8:2::5", 22, 0)));
    }

    @Test
    void inMatchesTheSourceOutTheDestination() {
        Packet fromWeb = Packet.tcp("10.0.1.9", 1234, "172.16.0.1", 80, 0);
        Packet toWeb = Packet.tcp("172.16.0.1", 1234, "10.0.1.9", 80, 0);
        assertEquals(0, classify(IN, List.of(entry("r", IN, "web", false)), fromWeb));
        assertEquals(-1, classify(IN, List.of(entry("r", IN, "web", false)), toWeb));
        assertEquals(0, classify(OUT, List.of(entry("r", OUT, "web", false)), toWeb));
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, "web", false)), fromWeb));
    }

    @Test
    void emptyAddressGroupMatchesNothingAndItsNegationEverything() {
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, "empty", false)), tcpOut("10.0.1.1", 80)));
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, "empty", false)), Packet.tcp("::1", 1, "::2", 2, 0)));
        assertEquals(0, classify(OUT, List.of(entry("r", OUT, "empty", true)), tcpOut("10.0.1.1", 80)));
        assertEquals(0, classify(OUT, List.of(entry("r", OUT, "empty", true)), Packet.tcp("::1", 1, "::2", 2, 0)));
    }

    @Test
    void wholeAddressSpaceAndItsNegation() {
        assertEquals(0, classify(OUT, List.of(entry("r", OUT, "all", false)), tcpOut("255.255.255.255", 80)));
        assertEquals(0, classify(OUT, List.of(entry("r", OUT, "all", false)),
                Packet.tcp("::1", 1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 2, 0)));
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, "all", true)), tcpOut("0.0.0.0", 80)));
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, "all", true)), Packet.tcp("::1", 1, "::", 2, 0)));
    }

    @Test
    void ipv6GroupsDoNotMatchIpv4Packets() {
        List<CompiledRule> t = List.of(entry("r", OUT, "v6only", false));
        assertEquals(0, classify(OUT, t, Packet.tcp("::1", 1, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 2, 0)));
        assertEquals(-1, classify(OUT, t, Packet.tcp("::1", 1, "2001:db9::", 2, 0)));
        assertEquals(-1, classify(OUT, t, Packet.tcp("::1", 1, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 2, 0)));
        assertEquals(-1, classify(OUT, t, tcpOut("32.1.13.184", 80)));
    }

    @Test
    void destinationPortRangesIncludeTheirEdges() {
        List<CompiledRule> t = List.of(entry("r", OUT, null, false, tcp(ports("0", "8000-8080", "65535"), List.of())));
        for (int port : new int[] {0, 8000, 8040, 8080, 65535}) {
            assertEquals(0, classify(OUT, t, tcpOut("1.2.3.4", port)), "port " + port);
        }
        for (int port : new int[] {1, 7999, 8081, 65534}) {
            assertEquals(-1, classify(OUT, t, tcpOut("1.2.3.4", port)), "port " + port);
        }
    }

    @Test
    void sourcePortsAreMatchedToo() {
        List<CompiledRule> t = List.of(entry("r", OUT, null, false, tcp(List.of(), ports("1024-65535"))));
        assertEquals(0, classify(OUT, t, Packet.tcp("1.1.1.1", 1024, "2.2.2.2", 80, 0)));
        assertEquals(0, classify(OUT, t, Packet.tcp("1.1.1.1", 65535, "2.2.2.2", 80, 0)));
        assertEquals(-1, classify(OUT, t, Packet.tcp("1.1.1.1", 1023, "2.2.2.2", 80, 0)));
    }

    @Test
    void tcpAndUdpAreDistinct() {
        List<CompiledRule> t = List.of(entry("r", OUT, null, false, udp(ports("53"), List.of())));
        assertEquals(0, classify(OUT, t, Packet.udp("1.1.1.1", 5353, "2.2.2.2", 53, null)));
        assertEquals(-1, classify(OUT, t, Packet.tcp("1.1.1.1", 5353, "2.2.2.2", 53, 0)));
        assertEquals(-1, classify(OUT, t, Packet.udp("1.1.1.1", 5353, "2.2.2.2", 54, null)));
    }

    @Test
    void icmpTypeAndCodeWithNullsAsWildcards() {
        List<CompiledRule> t = List.of(
                entry("echo", OUT, null, false, icmp(8, 0)),
                entry("unreach", OUT, null, false, icmp(3, null)),
                entry("code5", OUT, null, false, icmp(null, 5)));
        assertEquals(0, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 8, 0, 1)));
        assertEquals(-1, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 8, 1, 1)));
        assertEquals(1, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 3, 13, 0)));
        assertEquals(2, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 11, 5, 0)));
        assertEquals(-1, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 0, 0, 0)));
        // an ICMP entry never matches ICMPv6, nor TCP (whose icmpType is -1)
        assertEquals(-1, classify(OUT, t, Packet.icmp("::1", "::2", 8, 0, 1)));
        assertEquals(-1, classify(OUT, List.of(entry("r", OUT, null, false, icmp(null, null))), tcpOut("2.2.2.2", 1)));
    }

    @Test
    void icmpv6IsItsOwnProtocol() {
        List<CompiledRule> t = List.of(entry("ns", OUT, null, false, icmpv6(135, null)),
                entry("all6", OUT, null, false, icmpv6(null, null)));
        assertEquals(0, classify(OUT, t, Packet.icmp("fe80::1", "fe80::2", 135, 0, 0)));
        assertEquals(1, classify(OUT, t, Packet.icmp("fe80::1", "fe80::2", 128, 0, 0)));
        assertEquals(-1, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 135, 0, 0)));
    }

    @Test
    void protocolAnyMatchesEveryProtocolAndIgnoresPorts() {
        List<CompiledRule> t = List.of(entry("r", OUT, "db", false, any()));
        assertEquals(0, classify(OUT, t, tcpOut("10.0.2.5", 5432)));
        assertEquals(0, classify(OUT, t, Packet.udp("1.1.1.1", 0, "10.0.2.6", 0, null)));
        assertEquals(0, classify(OUT, t, Packet.icmp("1.1.1.1", "10.0.2.6", 8, 0, 0)));
        assertEquals(-1, classify(OUT, t, Packet.icmp("1.1.1.1", "10.0.2.7", 8, 0, 0)));
    }

    @Test
    void anEntryMatchesWhenAnyOfItsServicesDoes() {
        List<CompiledRule> t = List.of(entry("r", OUT, null, false,
                tcp(ports("443"), List.of()), udp(ports("53"), List.of()), icmp(8, null)));
        assertEquals(0, classify(OUT, t, tcpOut("2.2.2.2", 443)));
        assertEquals(0, classify(OUT, t, Packet.udp("1.1.1.1", 1, "2.2.2.2", 53, null)));
        assertEquals(0, classify(OUT, t, Packet.icmp("1.1.1.1", "2.2.2.2", 8, 0, 0)));
        assertEquals(-1, classify(OUT, t, tcpOut("2.2.2.2", 53)));
        assertEquals(-1, classify(OUT, t, Packet.udp("1.1.1.1", 1, "2.2.2.2", 443, null)));
    }

    @Test
    void firstMatchWinsAcrossOverlappingEntries() {
        List<CompiledRule> t = List.of(
                entry("db-5432", OUT, "db", false, tcp(ports("5432"), List.of())),
                entry("web-any", OUT, "web", false),
                entry("not-web-tcp", OUT, "web", true, tcp(List.of(), List.of())),
                entry("catch-all", OUT, null, false));
        assertEquals(0, classify(OUT, t, tcpOut("10.0.2.5", 5432)));
        assertEquals(2, classify(OUT, t, tcpOut("10.0.2.5", 5433)));
        assertEquals(1, classify(OUT, t, tcpOut("10.0.1.5", 5432)));
        assertEquals(3, classify(OUT, t, Packet.udp("1.1.1.1", 1, "10.0.2.5", 5432, null)));
        RuleTable table = RuleTable.build(OUT, t, GROUPS::get);
        assertEquals(4, table.size());
        assertSame(t.get(2), table.entry(table.classify(tcpOut("10.0.2.5", 5433))));
    }

    @Test
    void moreThanSixtyFourRowsSpanSeveralWords() {
        List<CompiledRule> t = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            t.add(entry("r" + i, OUT, null, false, tcp(ports(Integer.toString(1000 + i)), List.of())));
        }
        assertEquals(0, classify(OUT, t, tcpOut("2.2.2.2", 1000)));
        assertEquals(64, classify(OUT, t, tcpOut("2.2.2.2", 1064)));
        assertEquals(149, classify(OUT, t, tcpOut("2.2.2.2", 1149)));
        assertEquals(-1, classify(OUT, t, tcpOut("2.2.2.2", 1150)));
    }

    @Test
    void concurrentLookupsSeeTheSameTable() throws Exception {
        List<CompiledRule> t = List.of(
                entry("db", OUT, "db", false, tcp(ports("5432"), List.of())),
                entry("not-web", OUT, "web", true, udp(List.of(), List.of())),
                entry("web", OUT, "web", false));
        RuleTable table = RuleTable.build(OUT, t, GROUPS::get);
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            packets.add(i % 2 == 0 ? tcpOut("10.0.2." + (i % 8), 5430 + i % 4)
                    : Packet.udp("1.1.1.1", 1, "10.0.1." + (i % 256), 53, null));
        }
        int[] expected = packets.stream().mapToInt(table::classify).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                results.add(pool.submit(() -> packets.stream().mapToInt(table::classify).toArray()));
            }
            for (Future<int[]> result : results) {
                assertArrayEquals(expected,
                        result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUpdateOfOneRuleReusesTheTableAndAnswersAsABuild() {
        List<CompiledRule> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(entry("r" + i, OUT, i % 3 == 0 ? "web" : null, false, tcp(ports(Integer.toString(1000 + i)),
                    List.of())));
        }
        RuleTable table = RuleTable.build(OUT, before, GROUPS::get);
        List<CompiledRule> after = new ArrayList<>(before);
        after.set(10, entry("r10", OUT, "db", false, tcp(ports("1010"), List.of())));
        after.add(50, entry("new", OUT, null, false, tcp(ports("1070"), List.of())));
        after.remove(90);
        RuleTable updated = RuleTable.update(table, after, GROUPS::get);
        RuleTable built = RuleTable.build(OUT, after, GROUPS::get);
        assertThat(updated.sharesCoreWith(table)).isTrue();
        assertThat(updated.size()).isEqualTo(after.size());
        for (String address : new String[] {"10.0.1.7", "10.0.2.5", "172.16.0.1"}) {
            for (int port = 995; port < 1105; port++) {
                Packet p = tcpOut(address, port);
                assertEquals(built.classify(p), updated.classify(p), address + ":" + port);
            }
        }
        assertEquals(50, updated.classify(tcpOut("172.16.0.1", 1070)));
        assertSame(after.get(10), updated.entry(updated.classify(tcpOut("10.0.2.5", 1010))));
    }

    @Test
    void anUpdateSeesAddressGroupChangesOfUnchangedEntries() {
        List<CompiledRule> t = List.of(entry("db", OUT, "db", false, tcp(ports("5432"), List.of())),
                entry("not-web", OUT, "web", true, udp(List.of(), List.of())));
        Map<String, AddressSet> groups = new HashMap<>(GROUPS);
        RuleTable table = RuleTable.build(OUT, t, groups::get);
        assertEquals(-1, table.classify(tcpOut("10.0.2.9", 5432)));
        assertEquals(1, table.classify(Packet.udp("192.168.0.1", 9, "10.0.3.1", 53, null)));
        groups.put("db", set("10.0.2.9"));
        groups.put("web", set("10.0.3.0/24"));
        RuleTable updated = RuleTable.update(table, t, groups::get);
        assertEquals(0, updated.classify(tcpOut("10.0.2.9", 5432)));
        assertEquals(-1, updated.classify(tcpOut("10.0.2.5", 5432)));
        assertEquals(-1, updated.classify(Packet.udp("192.168.0.1", 9, "10.0.3.1", 53, null)));
        assertEquals(1, updated.classify(Packet.udp("192.168.0.1", 9, "10.0.1.1", 53, null)));
        assertThrows(IllegalArgumentException.class, () -> RuleTable.update(table,
                List.of(entry("r", OUT, "nope", false)), GROUPS::get));
        assertThrows(IllegalArgumentException.class, () -> RuleTable.update(table,
                List.of(entry("r", IN, null, false)), GROUPS::get));
    }

    @Test
    void manyUpdatesMakeACompactionDueAndOnlyALaggingOneBuildsOnTheUpdatePath() {
        List<CompiledRule> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(entry("r" + i, OUT, i % 3 == 0 ? "web" : null, false, tcp(ports(Integer.toString(1000 + i)),
                    List.of())));
        }
        RuleTable built = RuleTable.build(OUT, entries, GROUPS::get);
        assertThat(built.compactionDue()).isFalse();
        RuleTable table = built;
        int change = 0;
        // each change replaces one entry: the overlay grows by one; due past 32 (max(32, 100 / 32))
        for (; change < 33; change++) {
            entries.set(change, entry("c" + change, OUT, "db", false, tcp(ports(Integer.toString(2000 + change)),
                    List.of())));
            RuleTable next = RuleTable.update(table, entries, GROUPS::get);
            assertThat(next.sharesCoreWith(built)).as("change %d", change).isTrue();
            assertThat(next.compactionDue()).as("change %d", change).isEqualTo(change >= 32);
            table = next;
        }
        // nobody compacts: updates go on on the same core until half of it is dead (64 of 100 may be)
        int firstBuild = -1;
        for (; change < 100 && firstBuild < 0; change++) {
            entries.set(change, entry("d" + change, OUT, null, false, tcp(ports(Integer.toString(3000 + change)),
                    List.of())));
            table = RuleTable.update(table, entries, GROUPS::get);
            firstBuild = table.sharesCoreWith(built) ? -1 : change;
        }
        assertThat(firstBuild).as("the change that compiled afresh on the update path").isEqualTo(64);
        assertThat(table.compactionDue()).isFalse();

        // a compaction gives the same answers without the overlay
        List<CompiledRule> some = new ArrayList<>(entries);
        RuleTable withOverlay = RuleTable.build(OUT, some, GROUPS::get);
        for (int i = 0; i < 40; i++) {
            some.set(i, entry("e" + i, OUT, i % 2 == 0 ? "web" : null, false, tcp(ports(Integer.toString(4000 + i)),
                    List.of())));
            withOverlay = RuleTable.update(withOverlay, some, GROUPS::get);
        }
        assertThat(withOverlay.compactionDue()).isTrue();
        RuleTable compacted = withOverlay.compacted(GROUPS::get);
        assertThat(compacted.compactionDue()).isFalse();
        assertThat(compacted.sharesCoreWith(withOverlay)).isFalse();
        for (String address : new String[] {"10.0.1.7", "10.0.2.5", "172.16.0.1"}) {
            for (int port = 995; port < 4105; port += 1) {
                Packet p = tcpOut(address, port);
                assertEquals(withOverlay.classify(p), compacted.classify(p), address + ":" + port);
            }
        }
    }

    @Test
    void anUpdateChangingMostEntriesBuildsAfresh() {
        List<CompiledRule> before = new ArrayList<>();
        List<CompiledRule> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            before.add(entry("a" + i, OUT, null, false, tcp(ports(Integer.toString(i + 1)), List.of())));
            after.add(entry("b" + i, OUT, null, false, udp(ports(Integer.toString(i + 1)), List.of())));
        }
        RuleTable table = RuleTable.build(OUT, before, GROUPS::get);
        RuleTable updated = RuleTable.update(table, after, GROUPS::get);
        assertThat(updated.sharesCoreWith(table)).isFalse();
        assertEquals(41, updated.classify(Packet.udp("1.1.1.1", 9, "2.2.2.2", 42, null)));
        assertEquals(-1, updated.classify(tcpOut("2.2.2.2", 42)));
    }

    @Test
    void rowsOfAWidePrefixForOnePortAreFoundByPortAndSkippedWhenGone() {
        // many rules name one wide prefix, each for its own port (the exact-port index), one port twice
        Map<String, AddressSet> groups = new HashMap<>(GROUPS);
        groups.put("wide", set("10.0.0.0/8"));
        List<CompiledRule> t = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            groups.put("h" + i, set("10.1." + i + ".1"));
            t.add(entry("host" + i, OUT, "h" + i, false, tcp(ports("22"), List.of())));
        }
        for (int i = 0; i < 60; i++) {
            t.add(entry("wide" + i, OUT, "wide", false, tcp(ports(Integer.toString(2000 + i)), List.of())));
        }
        t.add(entry("wide-again", OUT, "wide", false, tcp(ports("2030"), List.of())));
        RuleTable table = RuleTable.build(OUT, t, groups::get);
        assertEquals(70, table.classify(tcpOut("10.1.5.1", 2030)));
        assertEquals(-1, table.classify(tcpOut("11.1.5.1", 2030)));
        List<CompiledRule> without = new ArrayList<>(t);
        without.remove(70);
        RuleTable updated = RuleTable.update(table, without, groups::get);
        assertThat(updated.sharesCoreWith(table)).isTrue();
        assertSame(t.get(100), updated.entry(updated.classify(tcpOut("10.1.5.1", 2030))));
        assertEquals(new LinearRuleTable(OUT, without, groups::get).classify(tcpOut("10.200.0.1", 2059)),
                updated.classify(tcpOut("10.200.0.1", 2059)));
    }

    @Test
    void rejectsWrongDirectionsAndUnknownGroups() {
        assertThrows(IllegalArgumentException.class, () -> RuleTable.build(Direction.IN_OUT, List.of(), GROUPS::get));
        assertThrows(IllegalArgumentException.class,
                () -> RuleTable.build(IN, List.of(entry("r", OUT, null, false)), GROUPS::get));
        assertThrows(IllegalArgumentException.class,
                () -> RuleTable.build(OUT, List.of(entry("r", OUT, "nope", false)), GROUPS::get));
    }
}
