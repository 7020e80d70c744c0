package io.ringfence.dataplane.target;

import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One in-JVM host agent as an enforcement target ({@code agent:<host>}, a hypervisor target that
 * takes deltas). An update is applied on the agent's executor, as an agent in a process of its own
 * would apply it on its own thread: converted into a host delta, applied atomically by {@link
 * HostAgent#apply}, and acknowledged with the generation of every vNIC of the update once its
 * tables are swapped in. An update the agent cannot apply changes nothing and is answered with a
 * specific, non-retryable error: {@code unsupported-rule} (something the data plane cannot
 * enforce) or {@code rejected-rule-set} (a rule set names an address group the host does not have).
 *
 * <p>The agent keeps enforcing its last tables when no update comes any more (fail-static), and a
 * vNIC without tables enforces the default rule each update carries.
 */
public final class AgentTarget implements EnforcementTarget {

    /** The prefix of the ids of agent targets; the host id follows. */
    public static final String ID_PREFIX = "agent:";

    private final HostAgent agent;
    private final Executor executor;
    private final ParsedAddressSets addresses;
    private final TargetDescriptor descriptor;
    /**
     * What the agent last applied per vNIC, as received and as converted: the next update's entries
     * that are the same objects keep their conversion. Updates of one target come one at a time.
     */
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();

    private record Applied(TargetRuleSet received, VnicRuleSet converted) {
    }

    /**
     * @param agent    the agent fed
     * @param executor the agent's thread(s): updates are applied there, never on the caller's thread
     */
    public AgentTarget(HostAgent agent, Executor executor) {
        this(agent, executor, new ParsedAddressSets());
    }

    /** An agent target that shares the parsing of address groups with the other agents of its data center. */
    AgentTarget(HostAgent agent, Executor executor, ParsedAddressSets addresses) {
        this.agent = agent;
        this.executor = executor;
        this.addresses = addresses;
        this.descriptor = new TargetDescriptor(ID_PREFIX + agent.hostId(), TargetKind.HYPERVISOR,
                "in-JVM host agent of " + agent.hostId(), List.of(agent.hostId()), true);
    }

    @Override
    public TargetDescriptor descriptor() {
        return descriptor;
    }

    /** The agent fed. */
    public HostAgent agent() {
        return agent;
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        CompletableFuture<Acknowledgement> answer = new CompletableFuture<>();
        executor.execute(() -> answer.complete(realize(update)));
        return answer;
    }

    private Acknowledgement realize(RuleSetUpdate update) {
        HostDelta delta;
        try {
            delta = UpdateConverter.delta(agent.hostId(), update, addresses, vnic -> {
                Applied last = applied.get(vnic);
                return last == null ? Map.of() : UpdateConverter.conversions(last.received(), last.converted());
            });
        } catch (UpdateConverter.UnsupportedRuleException e) {
            return Acknowledgement.failed(update.sequence(), new TargetError("unsupported-rule", e.getMessage(), false));
        }
        try {
            agent.apply(delta);
        } catch (IllegalArgumentException e) {
            return Acknowledgement.failed(update.sequence(), new TargetError("rejected-rule-set", e.getMessage(), false));
        }
        if (update.full()) {
            applied.clear();
        }
        update.removedVnics().forEach(applied::remove);
        Map<String, Long> realized = new HashMap<>();
        for (int i = 0; i < update.ruleSets().size(); i++) {
            TargetRuleSet set = update.ruleSets().get(i);
            applied.put(set.vnicId(), new Applied(set, delta.ruleSets().get(i)));
            realized.put(set.vnicId(), set.generation());
        }
        return Acknowledgement.applied(update.sequence(), realized);
    }
}
