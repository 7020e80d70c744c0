package io.ringfence.dataplane.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.classifier.ClassBench.Profile;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link RuleTable} against the {@link LinearRuleTable} oracle on {@link ClassBench} rule sets (ACL
 * and FW, IPv4 as ClassBench has it and a third of the prefixes IPv6), built at once and updated
 * one rule change at a time. Each case names its seed; they are fixed, so a failure replays as is.
 */
class ClassBenchAgreementTest {

    @TestFactory
    Stream<DynamicTest> builtTablesAgreeWithTheOracle() {
        return Stream.of(Profile.values()).flatMap(profile -> Stream.of(100, 1000, 4000).flatMap(size ->
                Stream.of(0.0, 0.3).map(v6 -> DynamicTest.dynamicTest(profile + " " + size + " rules, IPv6 share " + v6,
                        () -> {
                            long seed = 31L * size + profile.ordinal() + (v6 > 0 ? 7 : 0);
                            ClassBench bench = new ClassBench(profile, v6, seed);
                            List<CompiledRule> entries = bench.rules(size);
                            RuleTable table = RuleTable.build(Direction.IN, entries, bench.groups()::get);
                            agree(table, entries, bench, bench.trace(entries, size >= 4000 ? 600 : 1500, 0.1),
                                    "seed " + seed);
                        }))));
    }

    @TestFactory
    Stream<DynamicTest> updatedTablesAgreeWithAFreshBuildAndTheOracle() {
        return Stream.of(Profile.values()).flatMap(profile -> Stream.of(0.0, 0.3).map(v6 ->
                DynamicTest.dynamicTest(profile + ", IPv6 share " + v6, () -> {
                    long seed = 977L + profile.ordinal() + (v6 > 0 ? 7 : 0);
                    ClassBench bench = new ClassBench(profile, v6, seed);
                    List<CompiledRule> entries = bench.rules(800);
                    RuleTable table = RuleTable.build(Direction.IN, entries, bench.groups()::get);
                    int reused = 0;
                    for (int change = 1; change <= 150; change++) {
                        String what;
                        if (change % 10 == 0) {
                            what = "addresses of group " + bench.changeGroup(entries);
                        } else {
                            entries = bench.change(entries);
                            what = "one rule change";
                        }
                        RuleTable previous = table;
                        table = RuleTable.update(previous, entries, bench.groups()::get);
                        reused += table.sharesCoreWith(previous) ? 1 : 0;
                        String context = "seed " + seed + ", change " + change + " (" + what + ")";
                        assertThat(table.size()).as(context).isEqualTo(entries.size());
                        RuleTable fresh = RuleTable.build(Direction.IN, entries, bench.groups()::get);
                        List<Packet> packets = bench.trace(entries, 150, 0.1);
                        for (Packet p : packets) {
                            assertEquals(fresh.classify(p), table.classify(p), context + ": update and fresh build "
                                    + "disagree on " + p + "; updated " + table);
                        }
                        agree(table, entries, bench, packets, context);
                    }
                    // the point of update: most changes reuse the previous core
                    assertThat(reused).as("seed " + seed + ": updates that reused the previous core").isGreaterThan(120);
                })));
    }

    @Test
    void tracesHitEntriesAtEveryDepth() {
        for (Profile profile : Profile.values()) {
            ClassBench bench = new ClassBench(profile, 0, 5);
            List<CompiledRule> entries = bench.rules(2000);
            LinearRuleTable oracle = new LinearRuleTable(Direction.IN, entries, bench.groups()::get);
            int[] deciles = new int[10];
            int misses = 0;
            for (Packet p : bench.trace(entries, 2000, 0.1)) {
                int hit = oracle.classify(p);
                if (hit < 0) {
                    misses++;
                } else {
                    deciles[hit * 10 / entries.size()]++;
                }
            }
            for (int d = 0; d < 10; d++) {
                assertThat(deciles[d]).as(profile + ": hits in tenth " + d + " of the table").isGreaterThan(80);
            }
            assertThat(misses).as(profile + ": packets no entry matches").isBetween(100, 400);
        }
    }

    private static void agree(RuleTable table, List<CompiledRule> entries, ClassBench bench, List<Packet> packets,
                              String context) {
        LinearRuleTable oracle = new LinearRuleTable(Direction.IN, entries, bench.groups()::get);
        for (int i = 0; i < packets.size(); i++) {
            Packet p = packets.get(i);
            int expected = oracle.classify(p);
            int actual = table.classify(p);
            if (expected != actual) {
                assertEquals(expected, actual, context + ", packet " + i + " " + p + ", " + table + "; oracle picks "
                        + (expected < 0 ? "none" : entries.get(expected)) + ", table picks "
                        + (actual < 0 ? "none" : entries.get(actual)));
            }
        }
    }
}
