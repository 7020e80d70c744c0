package io.ringfence.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.dataplane.classifier.ClassBench;
import io.ringfence.dataplane.classifier.RuleTable;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmarks' baseline answers as the classifier does (which its own tests check against the
 * literal oracle), on both kinds of set, with IPv6 and groups of several ranges: a ratio between two
 * lookups that disagree would mean nothing.
 */
class LinearScanTest {

    @ParameterizedTest
    @CsvSource({"ACL, 0.0", "FW, 0.0", "ACL, 0.4", "FW, 0.4"})
    void agreesWithTheRuleTable(ClassBench.Profile profile, double ipv6Share) {
        ClassBench bench = new ClassBench(profile, ipv6Share, 7);
        List<CompiledRule> entries = bench.rules(1500);
        RuleTable table = RuleTable.build(Direction.IN, entries, bench.groups()::get);
        LinearScan linear = new LinearScan(Direction.IN, entries, bench.groups()::get);
        int hits = 0;
        for (Packet p : bench.trace(entries, 3000, 0.1)) {
            int expected = table.classify(p);
            assertThat(linear.classify(p)).as("%s, IPv6 share %s: %s", profile, ipv6Share, p).isEqualTo(expected);
            hits += expected >= 0 ? 1 : 0;
        }
        assertThat(hits).as("packets that hit an entry").isGreaterThan(2000);
        assertThat(linear.rows()).isGreaterThan(entries.size());
    }
}
