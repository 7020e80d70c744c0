package io.ringfence.dataplane.sim;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.agent.HostAgent;

/**
 * How the host agents of a data center get their rule sets (DESIGN, "Persistence and scale-out":
 * the manager↔agent channel). The data center connects an agent when its host appears and
 * disconnects it before it closes the agent, when the host leaves or the data center closes.
 * Disconnecting only stops the feed: what the agent enforces is the data center's business.
 */
public interface AgentChannel {

    /** Starts feeding {@code agent} the rule sets of its host. */
    void connect(HostAgent agent);

    /** Stops feeding {@code agent}. */
    void disconnect(HostAgent agent);

    /**
     * Each agent subscribed to the compiler directly: no acknowledgement, no realization status. For
     * tests and benchmarks of the data plane alone; the framework feeds agents as enforcement targets
     * ({@code io.ringfence.dataplane.target}).
     */
    static AgentChannel direct(PolicyCompilerService compiler) {
        return new AgentChannel() {
            @Override
            public void connect(HostAgent agent) {
                compiler.attach(agent.hostId(), agent);
            }

            @Override
            public void disconnect(HostAgent agent) {
                compiler.detach(agent.hostId(), agent);
            }
        };
    }
}
