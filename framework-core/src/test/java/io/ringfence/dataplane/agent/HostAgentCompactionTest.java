package io.ringfence.dataplane.agent;

import static io.ringfence.dataplane.agent.AgentFixture.DB;
import static io.ringfence.dataplane.agent.AgentFixture.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tables that a run of small updates left carrying many changes are compiled afresh off the update
 * path and swapped in while they are still the vNIC's: same generation and answers, flows and
 * counters untouched.
 */
class HostAgentCompactionTest {

    /** The compactions the agent handed over, run when the test says. */
    private final List<Runnable> queued = new ArrayList<>();
    private final AgentFixture fixture = new AgentFixture(10_000, queued::add);
    private long now;

    private Verdict web(Direction direction, Packet p) {
        return fixture.h1.process("web1-0", direction, p, ++now);
    }

    /** Adds rules web→db on udp/53 until web1-0's tables are due a compaction (its OUT overlay past 32 entries). */
    private void addRulesUntilDue() {
        for (int i = 0; !fixture.h1.tables("web1-0").orElseThrow().compactionDue(); i++) {
            assertThat(i).as("rules added").isLessThan(100);
            fixture.addRule(AgentFixture.webToDb("more-" + fixture.h1.tables("web1-0").orElseThrow().generation(),
                    100 + (int) now + i, "dns", Action.ALLOW));
        }
    }

    @Test
    void dueTablesAreCompactedAndSwappedInWithoutTouchingFlowsOrCounters() {
        assertThat(web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.SYN)).ruleId()).isEqualTo("r-mysql");
        addRulesUntilDue();
        VnicTables due = fixture.h1.tables("web1-0").orElseThrow();
        assertThat(queued).isNotEmpty();
        assertThat(web(Direction.IN, Packet.tcp(DB, 3306, WEB, 40000, Packet.SYN | Packet.ACK)).fromFlowTable()).isTrue();
        VnicStats before = fixture.h1.vnicStats("web1-0").orElseThrow();

        queued.forEach(Runnable::run);

        VnicTables compacted = fixture.h1.tables("web1-0").orElseThrow();
        assertThat(compacted).isNotSameAs(due);
        assertThat(compacted.compactionDue()).isFalse();
        assertThat(compacted.ruleSet()).isSameAs(due.ruleSet());
        assertThat(compacted.generation()).isEqualTo(due.generation());
        assertThat(fixture.h1.vnicStats("web1-0")).contains(before);
        assertThat(fixture.h1.tracker().flows("web1-0")).hasSize(1);
        assertThat(fixture.h1.stats().vnics()).isEqualTo(1);
        // the same answers: the flow goes on from the table, a new flow is classified as before
        assertThat(web(Direction.OUT, Packet.tcp(WEB, 40000, DB, 3306, Packet.ACK)))
                .extracting(Verdict::fromFlowTable, Verdict::generation).containsExactly(true, due.generation());
        for (int port : new int[] {53, 3306, 443, 8080}) {
            Packet p = Packet.tcp(WEB, 41000 + port, DB, port, Packet.SYN);
            assertThat(compacted.decide(Direction.OUT, p)).as("tcp/%d", port).isEqualTo(due.decide(Direction.OUT, p));
            Packet u = Packet.udp(WEB, 41000 + port, DB, port, null);
            assertThat(compacted.match(Direction.OUT, u)).as("udp/%d", port).isEqualTo(due.match(Direction.OUT, u));
        }
    }

    @Test
    void aCompactionOfTablesReplacedMeanwhileChangesNothing() {
        addRulesUntilDue();
        List<Runnable> stale = List.copyOf(queued);
        queued.clear();
        fixture.addRule(AgentFixture.webToDb("later", 900, "https", Action.ALLOW)); // newer tables, due again
        VnicTables newer = fixture.h1.tables("web1-0").orElseThrow();

        stale.forEach(Runnable::run);

        assertThat(fixture.h1.tables("web1-0")).containsSame(newer);
        assertThat(queued).as("the newer tables' own compaction").isNotEmpty();
        queued.forEach(Runnable::run);
        assertThat(fixture.h1.tables("web1-0").orElseThrow().compactionDue()).isFalse();
        assertThat(fixture.h1.tables("web1-0").orElseThrow().generation()).isEqualTo(newer.generation());
    }

    @Test
    void aCompactionOfAVnicThatLeftChangesNothing() {
        addRulesUntilDue();
        fixture.h1.close();

        queued.forEach(Runnable::run);

        assertThat(fixture.h1.tables("web1-0")).isEmpty();
        assertThat(fixture.h1.vnics()).isEmpty();
    }
}
