/**
 * The in-JVM host agents as enforcement targets ({@link io.ringfence.spi.enforcement}): each agent
 * is fed through a target feed like any other target, and acknowledges, per vNIC, the generation
 * whose tables it has swapped in. {@link io.ringfence.dataplane.target.AgentTarget} adapts one
 * agent; {@link io.ringfence.dataplane.target.UpdateConverter} turns an update back into the
 * compiler's values that the agent's tables are built from; {@link
 * io.ringfence.dataplane.target.AgentTargets} is the channel through which a simulated data center
 * hands its agents to the enforcement side. Plain Java.
 */
package io.ringfence.dataplane.target;
