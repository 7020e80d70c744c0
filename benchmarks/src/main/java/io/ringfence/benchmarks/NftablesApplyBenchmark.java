package io.ringfence.benchmarks;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.AddressGroupSet;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.spi.enforcement.TargetService;
import io.ringfence.target.nftables.NftablesConfiguration;
import io.ringfence.target.nftables.NftablesTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the nftables target takes to apply an update to one vNIC with {@code rules} rules:
 * from {@link NftablesTarget#apply} until its acknowledgement, that is rendering the whole
 * ruleset, comparing it with the previous one, and one {@code nft -f -} transaction. Each
 * invocation turns the rule in the middle from ALLOW to DROP or back, which also renews the
 * verdict tokens of the ALLOW rules after it in its chain. {@code update} is {@code delta} (the
 * framework's usual update: the script rewrites the changed chain and token sets) or {@code full}
 * (a full update: both tables flushed and everything written again, as on a target's first
 * update). nft runs inside a network namespace the benchmark creates and deletes ({@code ip
 * netns}), so it needs root, and never touches the host's own ruleset.
 *
 * <p>The vNIC's rules are half IN, half OUT; each names one of 100 address groups of 20 IPv4
 * addresses (every fifth group also has 5 IPv6 ones) and one TCP port or range; every tenth is a
 * DROP, every fiftieth a REJECT; the default rule drops. The rules render as about 1.2 nft rules
 * each (an address group with both families needs one per family).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class NftablesApplyBenchmark {

    private static final String NAMESPACE = "rfbench-nft";

    @Param({"1000", "10000"})
    int rules;

    @Param({"delta", "full"})
    String update;

    NftablesTarget target;
    List<AddressGroupSet> groups;
    long sequence;
    boolean dropped;
    RuleSetUpdate next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        run("ip", "netns", "delete", NAMESPACE); // a leftover of an interrupted run, if any
        if (run("ip", "netns", "add", NAMESPACE) != 0) {
            throw new IllegalStateException("cannot create network namespace " + NAMESPACE
                    + ": the nftables benchmark needs root, ip and nft");
        }
        target = new NftablesTarget(NftablesConfiguration.parse("nft:bench", new String[] {"bench"},
                new String[] {"vnic-0=vnet0"}, "ip netns exec " + NAMESPACE + " nft", "ringfence", 457_200, 60_000));
        groups = new ArrayList<>();
        for (int g = 0; g < 100; g++) {
            List<String> prefixes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                prefixes.add("10." + g + "." + i + "." + (i * 7 % 250 + 1));
            }
            if (g % 5 == 0) {
                for (int i = 0; i < 5; i++) {
                    prefixes.add("fd00:" + g + "::" + (i + 1));
                }
            }
            groups.add(new AddressGroupSet("group-" + g, prefixes));
        }
        apply(update(true, false));
    }

    @Setup(Level.Invocation)
    public void nextUpdate() {
        dropped = !dropped;
        next = update(update.equals("full"), dropped);
    }

    @Benchmark
    public Acknowledgement applyUpdate() throws Exception {
        return apply(next);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        target.close();
        run("ip", "netns", "delete", NAMESPACE);
    }

    private Acknowledgement apply(RuleSetUpdate update) throws Exception {
        Acknowledgement ack = target.apply(update).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (!ack.ok()) {
            throw new IllegalStateException("update " + update.sequence() + " failed: " + ack.error());
        }
        return ack;
    }

    private RuleSetUpdate update(boolean full, boolean middleDropped) {
        List<TargetRule> in = new ArrayList<>();
        List<TargetRule> out = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            RuleAction action = i % 50 == 0 ? RuleAction.REJECT : i % 10 == 0 ? RuleAction.DROP : RuleAction.ALLOW;
            if (i == rules / 2) {
                action = middleDropped ? RuleAction.DROP : RuleAction.ALLOW;
            }
            int port = 1024 + i % 30_000;
            TargetService service = new TargetService(6, List.of(i % 3 == 0 ? new int[] {port, port + 9}
                    : new int[] {port, port}), List.of(), null, null);
            TargetRule rule = new TargetRule("rule-" + i, "policy-" + i / 100, action, false, false,
                    "group-" + i % 100, false, List.of(service));
            (i % 2 == 0 ? in : out).add(rule);
        }
        TargetRuleSet set = new TargetRuleSet("vnic-0", "vm-0", "bench", "02:00:00:00:00:01", List.of("10.255.0.1/32"),
                ++sequence, in, out, RuleAction.DROP, false);
        return new RuleSetUpdate(sequence, full, List.of(set), List.of(), full ? groups : List.of(), List.of());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
