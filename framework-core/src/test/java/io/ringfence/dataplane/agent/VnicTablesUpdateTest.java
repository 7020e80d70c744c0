package io.ringfence.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.classifier.ClassBench;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link VnicTables#update} gives the tables {@link VnicTables#build} gives, on a vNIC whose rule set
 * changes one rule at a time (IN from a ClassBench set, OUT the same rules turned around, a few
 * staged), with address group changes in between: both answer the same {@link VnicTables.Match} for
 * every packet of a trace, in both directions. Each case names its fixed seed.
 */
class VnicTablesUpdateTest {

    @TestFactory
    Stream<DynamicTest> updatedTablesMatchAsFreshOnes() {
        return Stream.of(ClassBench.Profile.values()).map(profile -> DynamicTest.dynamicTest(profile.name(), () -> {
            long seed = 41 + profile.ordinal();
            ClassBench bench = new ClassBench(profile, 0.3, seed);
            List<CompiledRule> in = bench.rules(400);
            VnicRuleSet ruleSet = ruleSet(in, 1);
            VnicTables tables = VnicTables.build(ruleSet, bench.groups()::get);
            for (int change = 1; change <= 60; change++) {
                if (change % 7 == 0) {
                    bench.changeGroup(in);
                } else {
                    in = bench.change(in);
                }
                ruleSet = ruleSet(in, change + 1);
                tables = VnicTables.update(tables, ruleSet, bench.groups()::get);
                VnicTables fresh = VnicTables.build(ruleSet, bench.groups()::get);
                for (Packet p : bench.trace(in, 100, 0.1)) {
                    String context = "seed " + seed + ", change " + change + ", packet " + p;
                    assertEquals(fresh.classify(Direction.IN, p), tables.classify(Direction.IN, p), context);
                    Packet back = turnedAround(p);
                    assertEquals(fresh.classify(Direction.OUT, back), tables.classify(Direction.OUT, back), context);
                }
            }
        }));
    }

    /** IN the entries, one rule in 40 staged; OUT the same rules, for packets to the remote end. */
    private static VnicRuleSet ruleSet(List<CompiledRule> in, long generation) {
        List<CompiledRule> inEntries = new ArrayList<>();
        List<CompiledRule> outEntries = new ArrayList<>();
        for (CompiledRule e : in) {
            boolean staged = Math.floorMod(e.ruleId().hashCode(), 40) == 0;
            inEntries.add(staged ? with(e, Direction.IN, true) : e);
            outEntries.add(with(e, Direction.OUT, Math.floorMod(e.ruleId().hashCode(), 40) == 1));
        }
        return new VnicRuleSet("vnic", "vm", "host", generation, inEntries, outEntries, Action.DROP, false);
    }

    private static CompiledRule with(CompiledRule e, Direction direction, boolean staged) {
        return new CompiledRule(e.ruleId(), e.policyId(), e.category(), e.policySequence(), e.ruleSequence(),
                direction, e.action(), e.logged(), staged, e.tag(), e.remote(), e.remoteNegated(), e.services());
    }

    private static Packet turnedAround(Packet p) {
        return new Packet(p.family(), p.destination(), p.source(), p.protocol(), p.sourcePort(), p.destinationPort(),
                p.tcpFlags(), 0, 0, 0, p.icmpType(), p.icmpCode(), 0, null, p.ttl(), p.length(), null);
    }
}
