package io.ringfence.insertion;

import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The service-insertion runtime: steers flows through chains of partner functions, and counts. */
@ProviderType
public interface ServiceInsertion {

    /**
     * Steers a new flow through a chain. Calls no function: each hop opens its session on the first
     * packet that reaches it.
     */
    ChainSession open(ChainSpec chain, FlowContext flow);

    /**
     * What the chain would decide for one packet, for traceflow: each hop the packet reaches opens a
     * throwaway session on the newest instance accepting flows, inspects the packet once and closes it,
     * with the chain's deadline per call. Changes no counter (chain or instance), no circuit breaker and
     * no session of a real flow; alerts the throwaway sessions report are dropped. The functions do see
     * the packet, as the first packet of a flow of their own. Nothing partner code does reaches the caller.
     *
     * @return the verdict, with what each hop the packet reached made of it
     * @throws IllegalArgumentException if an argument is null
     * @since 0.2.0
     */
    ChainVerdict trace(ChainSpec chain, FlowContext flow, InspectedPacket packet);

    /** The counters of every chain that had a flow, ordered by chain id. */
    List<ChainStats> chainStats();

    /** The counters of one chain, if it had a flow. */
    Optional<ChainStats> chainStats(String chainId);

    /** The counters of every registered instance, by definition id then newest first. */
    List<FunctionStats> functionStats();

    /** The alerts the definition's sessions reported lately, newest first, at most {@code limit}. */
    List<RecentAlert> recentAlerts(String definitionId, int limit);

    /**
     * The alerts every definition's sessions reported lately (those of definitions whose instances have
     * all left too), newest first, at most {@code limit}.
     *
     * @since 0.2.0
     */
    List<RecentAlert> recentAlerts(int limit);
}
