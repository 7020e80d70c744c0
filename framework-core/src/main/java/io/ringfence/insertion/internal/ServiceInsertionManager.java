package io.ringfence.insertion.internal;

import io.ringfence.insertion.ChainSession;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.ChainStats;
import io.ringfence.insertion.ChainVerdict;
import io.ringfence.insertion.FunctionStats;
import io.ringfence.insertion.RecentAlert;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The service-insertion runtime over a {@link FunctionRegistry}: chain sessions and counters. */
public final class ServiceInsertionManager implements ServiceInsertion {

    private final FunctionRegistry registry;
    private final Map<String, Counters.Chain> chains = new ConcurrentHashMap<>();

    public ServiceInsertionManager(FunctionRegistry registry) {
        this.registry = registry;
    }

    /** @throws IllegalArgumentException if an argument is null */
    @Override
    public ChainSession open(ChainSpec chain, FlowContext flow) {
        if (chain == null || flow == null) {
            throw new IllegalArgumentException("a chain session needs a chain and a flow");
        }
        return new FlowSession(registry, chain, flow, chains.computeIfAbsent(chain.chainId(), Counters.Chain::new));
    }

    /** @throws IllegalArgumentException if an argument is null */
    @Override
    public ChainVerdict trace(ChainSpec chain, FlowContext flow, InspectedPacket packet) {
        if (chain == null || flow == null || packet == null) {
            throw new IllegalArgumentException("a trace needs a chain, a flow and a packet");
        }
        return ChainTrace.trace(registry, chain, flow, packet);
    }

    @Override
    public List<ChainStats> chainStats() {
        return new TreeMap<>(chains).values().stream().map(Counters.Chain::snapshot).toList();
    }

    @Override
    public Optional<ChainStats> chainStats(String chainId) {
        return Optional.ofNullable(chains.get(chainId)).map(Counters.Chain::snapshot);
    }

    @Override
    public List<FunctionStats> functionStats() {
        return registry.instances().stream().map(i -> i.counters().snapshot(i)).toList();
    }

    @Override
    public List<RecentAlert> recentAlerts(String definitionId, int limit) {
        return registry.recentAlerts(definitionId, Math.max(0, limit));
    }

    @Override
    public List<RecentAlert> recentAlerts(int limit) {
        return registry.recentAlerts(Math.max(0, limit));
    }
}
