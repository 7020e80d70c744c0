/**
 * Steering in the data plane: the {@link io.ringfence.dataplane.agent.FlowSteering} the host agents
 * consult for each new flow they allow, over the redirection table
 * ({@link io.ringfence.redirection.RedirectionService}, which chain) and the service-insertion runtime
 * ({@link io.ringfence.insertion.ServiceInsertion}, the chain's functions). It turns the model's
 * service chains and profiles into the runtime's chain specs (profiles validated against the schemas
 * of the registered definitions) and each steered flow into a chain session, opened on the flow's
 * first packet and closed, once, when the flow is bypassed or ends.
 *
 * <p>East-west traffic is steered independently at each end: OUT at the source vNIC and IN at the
 * destination vNIC, each on its own host, with the chain the redirection policy selects there (none,
 * the same one, or different ones), so a flow may pass a chain twice, as it passes the firewall twice.
 *
 * <p>Plain Java; the simulated data center wires it (see {@code io.ringfence.dataplane.sim}).
 */
package io.ringfence.dataplane.steering;
