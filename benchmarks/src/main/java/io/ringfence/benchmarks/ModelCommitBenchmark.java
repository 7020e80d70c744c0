package io.ringfence.benchmarks;

import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
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
 * Latency of one durable change (re-tagging a VM) through the model manager into the H2 file
 * store: validation against the whole model, one transaction with its audit record, snapshot
 * publication. Measured over inventories of increasing size: the {@link SyntheticDataCenter}
 * scaled to {@code vms} VMs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ModelCommitBenchmark {

    @Param({"1000", "10000"})
    int vms;

    ModelManager manager;
    Path dir;
    int counter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ringfence-bench");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        new SchemaMigrator(ds).migrate();
        SyntheticDataCenter dc = SyntheticDataCenter.generate(
                SyntheticDataCenter.Size.scaled(vms / (double) SyntheticDataCenter.Size.FULL.vms()), SyntheticDataCenter.SEED);
        manager = dc.newManager(new JdbcModelStore(ds));
    }

    @Benchmark
    public Vm retagVm() {
        int n = counter++;
        Vm vm = manager.find(Kind.VM, "vm-" + (n % vms)).orElseThrow();
        List<String> tags = new ArrayList<>(vm.tags());
        tags.removeIf(t -> t.startsWith("bench:"));
        tags.add("bench:" + n);
        Vm retagged = new Vm(vm.id(), vm.name(), vm.hostId(), vm.os(), tags, vm.vnics(), 0);
        return manager.replace(Kind.VM, vm.id(), retagged, null, "bench");
    }
}
