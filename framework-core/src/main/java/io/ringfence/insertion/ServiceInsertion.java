package io.ringfence.insertion;

import io.ringfence.spi.inspection.FlowContext;
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
