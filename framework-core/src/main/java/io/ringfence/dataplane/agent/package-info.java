/**
 * The data plane of one hypervisor: {@link io.ringfence.dataplane.agent.HostAgent} receives the
 * host's compiled rule sets from the compiler, keeps one immutable pair of rule tables per vNIC and
 * decides packets (connection tracking first, then first-match classification), with per-rule and
 * per-vNIC counters; staged rules are evaluated beside the enforced ones and their would-be hits
 * counted apart.
 *
 * <p>Steering: the agent asks a {@link io.ringfence.dataplane.agent.FlowSteering} (when it has one)
 * for the chain of each new flow it allows, and sends every allowed packet of a steered flow through
 * it ({@link io.ringfence.dataplane.agent.SteeredFlow}, kept with the flow in the connection
 * tracker); the {@link io.ringfence.dataplane.agent.Verdict} names the chain and its verdict, and
 * traceflow steps say what the chain's functions made of the packet
 * ({@link io.ringfence.dataplane.agent.SteeringTrace}). The agent knows no chain, redirection policy
 * or partner function itself: {@code io.ringfence.dataplane.steering} implements the steering.
 *
 * <p>A VM moving host takes its vNICs' flows and counters from one agent to the other
 * ({@link io.ringfence.dataplane.agent.VnicHandover}); the destination checks them against its own tables.
 *
 * <p>Plain Java: the OSGi wiring lives elsewhere.
 */
@Version("0.6.0")
@Export
package io.ringfence.dataplane.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
