package io.ringfence.benchmarks;

import io.ringfence.benchmarks.SyntheticDataCenter.Size;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.Group;
import io.ringfence.model.PortRange;
import io.ringfence.model.RedirectionAction;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.redirection.internal.RedirectionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
 * The redirection table over the synthetic data center with {@code rules} redirection rules:
 *
 * <ul>
 * <li>{@code build} (single shot): {@code RedirectionTable.build(model, compiler)}, the whole
 *     rebuild that every model change costs in this version (off the packet path), with the
 *     group membership of a compiler of the same model;</li>
 * <li>{@code rebuild} (single shot): the same after one change, a random VM re-tagged to another
 *     app (then back, and so on), taking over the classifiers of the previous table that the change
 *     leaves as they were, as the redirection manager does; the compiler follows the change first,
 *     untimed;</li>
 * <li>{@code select} (average time): one lookup, as for a new flow: a random vNIC, direction and
 *     TCP packet to another vNIC, from 4,096 prepared in advance.</li>
 * </ul>
 *
 * <p>The rules, in policies of 20: one in ten DO_NOT_REDIRECT to a random group; one in twenty
 * REDIRECT everywhere for one service (they land on every vNIC); the rest REDIRECT from a random
 * group (one in five negated) to a random group, half of them for a random service, one in five
 * applied to a random group, in a random direction. Ten chains of one profile each.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class RedirectionTableBenchmark {

    /** The fraction of {@link Size#FULL} to generate. */
    @Param("0.25")
    double scale;

    /** Redirection rules in all. */
    @Param({"100", "1000"})
    int rules;

    SyntheticDataCenter dc;
    ModelSnapshot model;
    PolicyCompiler compiler;
    RedirectionTable table;
    Lookup[] lookups;
    int next;

    /** One lookup to make. */
    record Lookup(String vnicId, Direction direction, Packet packet) {
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(SyntheticDataCenter.SEED);
        dc = SyntheticDataCenter.generate(Size.scaled(scale), SyntheticDataCenter.SEED);
        model = withRedirection(dc.snapshot(), rules, random);
        compiler = new PolicyCompiler(model);
        table = RedirectionTable.build(model, compiler);
        lookups = lookups(model, random);
        int redirected = 0;
        for (Lookup l : lookups) {
            if (table.select(l.vnicId(), l.direction(), l.packet()).isPresent()) {
                redirected++;
            }
        }
        System.out.printf("%n%d rules over %d VMs; %d of %d sample lookups select a chain%n", rules,
                model.vms().size(), redirected, lookups.length);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public RedirectionTable build() {
        return RedirectionTable.build(model, compiler);
    }

    /** The changes {@code rebuild} follows, each applied to the compiler before the timed build. */
    @State(Scope.Thread)
    public static class Retags {
        final Random random = new Random(SyntheticDataCenter.SEED + 1);
        ModelSnapshot current;
        RedirectionTable table;
        SyntheticDataCenter.Change next;
        SyntheticDataCenter.Change toUndo;

        @Setup(Level.Trial)
        public void start(RedirectionTableBenchmark b) {
            current = b.model;
            table = b.table;
        }

        @Setup(Level.Invocation)
        public void change(RedirectionTableBenchmark b) {
            next = toUndo == null ? b.dc.retagVm(current, random) : SyntheticDataCenter.revert(current, toUndo);
            b.compiler.modelChanged(next.event());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    public RedirectionTable rebuild(Retags retags) {
        RedirectionTable built = RedirectionTable.build(retags.next.after(), compiler, retags.table);
        retags.table = built;
        retags.current = retags.next.after();
        retags.toUndo = retags.toUndo == null ? retags.next : null;
        return built;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public Optional<ChainSelection> select() {
        Lookup l = lookups[next++ & (lookups.length - 1)];
        return table.select(l.vnicId(), l.direction(), l.packet());
    }

    /** The model with profiles, chains and {@code count} redirection rules added (same revision). */
    static ModelSnapshot withRedirection(ModelSnapshot dc, int count, Random random) {
        List<String> groups = dc.groups().stream().map(Group::id).toList();
        List<String> services = dc.services().stream().map(Service::id).toList();
        ModelSnapshot.Builder b = dc.toBuilder();
        long rev = dc.revision();
        for (int c = 0; c < 10; c++) {
            b.put(new ServiceProfile("profile-" + c, "profile " + c, null, "acme/ids", Map.of(), rev));
            b.put(new ServiceChain("chain-" + c, "chain " + c, null, List.of("profile-" + c), null,
                    FailurePolicy.BLOCK, null, rev));
        }
        List<RedirectionRule> policyRules = new ArrayList<>();
        int policy = 0;
        for (int i = 0; i < count; i++) {
            policyRules.add(rule(i, policyRules.size() * 10, groups, services, random, rev));
            if (policyRules.size() == 20 || i == count - 1) {
                b.put(new RedirectionPolicy("redirect-" + policy, "redirect " + policy, null, policy * 10, false,
                        policyRules, rev));
                policy++;
                policyRules = new ArrayList<>();
            }
        }
        return b.build();
    }

    private static RedirectionRule rule(int i, int sequence, List<String> groups, List<String> services, Random random,
                                        long rev) {
        String id = "redirect-rule-" + i;
        String chain = "chain-" + random.nextInt(10);
        if (i % 10 == 0) {
            return new RedirectionRule(id, null, sequence, null, false, List.of(pick(groups, random)), false, null,
                    null, null, RedirectionAction.DO_NOT_REDIRECT, null, false, rev);
        }
        if (i % 20 == 1) {
            return new RedirectionRule(id, null, sequence, null, false, null, false, List.of(pick(services, random)),
                    null, null, RedirectionAction.REDIRECT, chain, false, rev);
        }
        return new RedirectionRule(id, null, sequence, List.of(pick(groups, random)), random.nextInt(5) == 0,
                List.of(pick(groups, random)), false,
                random.nextBoolean() ? List.of(pick(services, random)) : null,
                random.nextInt(5) == 0 ? List.of(pick(groups, random)) : null,
                Direction.values()[random.nextInt(3)], RedirectionAction.REDIRECT, chain, false, rev);
    }

    /** 4,096 lookups: a random vNIC, direction and TCP packet to or from another vNIC, to a service's port or 443. */
    private static Lookup[] lookups(ModelSnapshot model, Random random) {
        List<Vnic> vnics = new ArrayList<>();
        for (Vm vm : model.vms()) {
            vnics.addAll(vm.vnics());
        }
        List<Integer> ports = new ArrayList<>(List.of(443));
        for (Service s : model.services()) {
            for (ServiceEntry e : s.entries()) {
                e.destinationPorts().stream().map(PortRange::from).forEach(ports::add);
            }
        }
        Lookup[] lookups = new Lookup[4096];
        for (int i = 0; i < lookups.length; i++) {
            Vnic local = vnics.get(random.nextInt(vnics.size()));
            Vnic remote = vnics.get(random.nextInt(vnics.size()));
            String here = local.addresses().get(0).toString();
            String there = remote.addresses().get(0).toString();
            int port = ports.get(random.nextInt(ports.size()));
            boolean out = random.nextBoolean();
            Packet p = out ? Packet.tcp(here, 40000 + i, there, port, Packet.SYN)
                    : Packet.tcp(there, 40000 + i, here, port, Packet.SYN);
            lookups[i] = new Lookup(local.id(), out ? Direction.OUT : Direction.IN, p);
        }
        return lookups;
    }

    private static String pick(List<String> ids, Random random) {
        return ids.get(random.nextInt(ids.size()));
    }
}
