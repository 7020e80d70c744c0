package io.ringfence.benchmarks;

import io.ringfence.manager.Members;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import org.h2.jdbcx.JdbcDataSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to answer {@code GET groups/{id}/members} for a nested group (three tag-criteria groups
 * and a CIDR) by evaluation over the whole inventory: the baseline that the incremental
 * membership engine will replace. The inventory is the {@link SyntheticDataCenter} scaled to
 * {@code vms} VMs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MembershipBenchmark {

    @Param({"1000", "20000"})
    int vms;

    ModelManager manager;
    String group;

    @Setup(Level.Trial)
    public void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:membership;DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate();
        SyntheticDataCenter dc = SyntheticDataCenter.generate(
                SyntheticDataCenter.Size.scaled(vms / (double) SyntheticDataCenter.Size.FULL.vms()), SyntheticDataCenter.SEED);
        manager = dc.newManager(new JdbcModelStore(ds));
        group = dc.nestedGroupId();
    }

    @Benchmark
    public Members nestedGroupMembers() {
        return manager.members(group);
    }
}
