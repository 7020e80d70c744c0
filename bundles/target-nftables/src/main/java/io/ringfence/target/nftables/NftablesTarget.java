package io.ringfence.target.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetRuleSet;
import io.ringfence.target.nftables.RulesetPlan.Direction;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * An enforcement target that renders the rule sets of its vNICs into nftables and applies each
 * update with one {@code nft -f -} transaction (see the package description for the ruleset).
 * Updates run one after the other on the target's own thread; {@link #apply} returns at once.
 * Closing the target leaves its ruleset in the kernel: the host keeps enforcing the last rules it
 * had (fail static) until a new target instance takes over the tables.
 */
public final class NftablesTarget implements EnforcementTarget, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NftablesTarget.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NftablesConfiguration config;
    private final TargetDescriptor descriptor;
    private final Nft nft;
    private final Clock clock;
    private final ExecutorService worker;

    // touched by the worker only
    private DesiredState desired = DesiredState.EMPTY;
    private final Names names = new Names();
    private final VerdictTokens tokens;
    /**
     * What our tables hold, as the last script left them; null when unknown (first update, after a
     * failure): then the next script is a full one, deleting what {@link #learn} finds in the kernel.
     */
    private Map<String, RulesetScript.Content> held;
    /** The tokens in memory are those in the kernel (false at first, and when nft may or may not have applied). */
    private boolean tokensKnown;
    /** The plan in the kernel: what its counters count. */
    private volatile RulesetPlan applied;

    public NftablesTarget(NftablesConfiguration config) {
        this(config, Clock.systemUTC());
    }

    NftablesTarget(NftablesConfiguration config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.descriptor = new TargetDescriptor(config.targetId(), TargetDescriptor.TargetKind.HYPERVISOR,
                "nftables (tables inet/bridge " + config.table() + ") on " + String.join(", ", config.hosts()),
                config.hosts(), true);
        this.nft = new Nft(config.command(), config.commandTimeout());
        this.tokens = new VerdictTokens(config.tokenQuarantine());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ringfence-nft-" + config.targetId());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public TargetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        try {
            return CompletableFuture.supplyAsync(() -> applyNow(update), worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Acknowledgement.failed(update.sequence(),
                    new TargetError("closed", "the target " + config.targetId() + " is closed", true)));
        }
    }

    /** Renders and applies one update; runs on the worker. */
    private Acknowledgement applyNow(RuleSetUpdate update) {
        Instant now = clock.instant();
        try {
            Set<String> existing = held == null ? learn(now) : held.keySet();
            DesiredState next = desired.with(update);
            List<String> unmapped = next.ruleSets().keySet().stream()
                    .filter(v -> !config.interfaces().containsKey(v)).toList();
            if (!unmapped.isEmpty()) {
                return failed(update, "unknown-interface", "no interface configured for vNIC(s) " + unmapped
                        + " in target " + config.targetId(), false);
            }
            RulesetPlan plan = new RulesetPlan(next, config, names);
            VerdictTokens.Allocation allocation = tokens.allocate(plan.decisions(Direction.OUT),
                    plan.decisions(Direction.IN), now);
            List<Integer> restingOut = allocation.out().freed().stream().sorted().toList();
            List<Integer> restingIn = allocation.in().freed().stream().sorted().toList();
            long rest = tokens.quarantine().toSeconds();
            // a full update from the framework rewrites everything: the way to repair what drifted
            RulesetScript.Rendered script = held == null || update.full()
                    ? RulesetScript.full(plan, allocation, config.table(), existing, restingOut, restingIn, rest)
                    : RulesetScript.changes(plan, allocation, config.table(), held, restingOut, restingIn, rest);
            nft.apply(script.text());
            desired = next;
            tokens.commit(allocation, now);
            held = script.objects();
            applied = plan;
            Map<String, Long> realized = new HashMap<>();
            for (TargetRuleSet s : update.ruleSets()) {
                realized.put(s.vnicId(), s.generation());
            }
            return Acknowledgement.applied(update.sequence(), realized);
        } catch (IllegalArgumentException e) {
            return failed(update, "unsupported-rule", e.getMessage(), false);
        } catch (IllegalStateException e) {
            return failed(update, "capacity", e.getMessage(), false);
        } catch (Nft.RefusedException e) {
            // nothing changed in the kernel; still, start from what it holds next time
            held = null;
            return failed(update, "rejected-by-device", e.getMessage(), false);
        } catch (Nft.UnavailableException e) {
            // nft may or may not have committed: read the tables, tokens included, next time
            held = null;
            tokensKnown = false;
            return failed(update, "unreachable", e.getMessage(), true);
        }
    }

    private static Acknowledgement failed(RuleSetUpdate update, String code, String message, boolean retryable) {
        return Acknowledgement.failed(update.sequence(), new TargetError(code, message, retryable));
    }

    /**
     * Reads what the tables hold: their objects, to delete those the next ruleset does not have,
     * and (unless the tokens in memory are right) the tokens in use or resting, which must not name
     * a new decision before their time.
     *
     * @return the objects, by what {@code delete} names them
     */
    private Set<String> learn(Instant now) throws Nft.UnavailableException {
        Set<String> found = new LinkedHashSet<>();
        Set<Integer> liveOut = new HashSet<>();
        Set<Integer> liveIn = new HashSet<>();
        Map<Integer, Instant> restingOut = new HashMap<>();
        Map<Integer, Instant> restingIn = new HashMap<>();
        for (String family : List.of("inet", "bridge")) {
            JsonNode listing = listTable(family);
            for (JsonNode item : listing.path("nftables")) {
                for (String kind : List.of("chain", "set", "map", "counter")) {
                    JsonNode o = item.get(kind);
                    if (o != null) {
                        found.add(kind + " " + family + " " + config.table() + " " + o.path("name").asText());
                    }
                }
                JsonNode set = item.get("set");
                if (set != null && family.equals("inet")) {
                    String name = set.path("name").asText();
                    for (JsonNode e : set.path("elem")) {
                        JsonNode inner = e.path("elem");
                        long value = (inner.isMissingNode() ? e : inner.path("val")).asLong();
                        Instant until = now.plusSeconds(inner.path("expires").asLong(0));
                        switch (name) {
                            case "out_valid" -> liveOut.add((int) (value >>> 16));
                            case "in_valid" -> liveIn.add((int) value);
                            case "out_resting" -> restingOut.put((int) (value >>> 16), until);
                            case "in_resting" -> restingIn.put((int) value, until);
                            default -> { }
                        }
                    }
                }
            }
        }
        liveOut.remove(0);
        liveIn.remove(0);
        if (!tokensKnown) {
            tokens.restore(liveOut, restingOut, liveIn, restingIn, now);
            tokensKnown = true;
        }
        return found;
    }

    private JsonNode listTable(String family) throws Nft.UnavailableException {
        try {
            return JSON.readTree(nft.listJson("table", family, config.table()));
        } catch (Nft.RefusedException e) {
            return JSON.createObjectNode(); // no such table yet
        } catch (IOException e) {
            throw new Nft.UnavailableException("nft listed table " + family + " " + config.table()
                    + " in a form we cannot read: " + e.getMessage(), e);
        }
    }

    /** The kernel's counters of the rules in the ruleset last applied; empty before the first one. */
    @Override
    public List<RuleCounter> counters() {
        RulesetPlan plan = applied;
        if (plan == null) {
            return List.of();
        }
        try {
            JsonNode listing = JSON.readTree(nft.listJson("counters", "table", "inet", config.table()));
            Map<String, long[]> readings = new HashMap<>();
            for (JsonNode item : listing.path("nftables")) {
                JsonNode c = item.get("counter");
                if (c != null) {
                    readings.put(c.path("name").asText(), new long[] {c.path("packets").asLong(), c.path("bytes").asLong()});
                }
            }
            return plan.ruleCounters(readings);
        } catch (Nft.RefusedException | Nft.UnavailableException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "target " + config.targetId() + ": cannot read the counters: " + e);
            return List.of();
        }
    }

    /** Stops taking updates; the ruleset stays in the kernel. */
    @Override
    public void close() {
        worker.shutdown();
    }
}
