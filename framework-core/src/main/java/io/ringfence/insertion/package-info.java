/**
 * Service insertion: partners' inspection functions steered into the data plane.
 *
 * <h2>Definitions</h2>
 * Every {@link io.ringfence.spi.inspection.InspectionService} a partner bundle registers is an
 * <em>instance</em> of a {@link io.ringfence.insertion.ServiceDefinition} (its vendor and name);
 * several versions of one definition may be registered at once. The
 * {@link io.ringfence.insertion.ServiceDefinitionRegistry} lists them with their health, and tells
 * listeners when they change. Admins configure a definition with a profile, checked by
 * {@link io.ringfence.insertion.ProfileValidation} against the definition's schema, which
 * {@link io.ringfence.insertion.JsonSchemas} publishes as a JSON Schema.
 *
 * <h2>Steering</h2>
 * A flow steered to a chain ({@link io.ringfence.insertion.ChainSpec}) gets a
 * {@link io.ringfence.insertion.ChainSession} from {@link io.ringfence.insertion.ServiceInsertion}.
 * Every packet of the flow goes through the chain's hops in order: the forward hops for the
 * initiator's packets, the reverse hops for the responder's. A hop holds one session of one
 * function for the flow; a hop on both paths shares its session, so the function sees both sides.
 * The first DROP or REJECT ends a packet's path; PASS_AND_BYPASS takes the flow out of that hop.
 * Each packet gets exactly one {@link io.ringfence.insertion.ChainVerdict}; nothing partner code
 * does (throw, hang, return null, leave) reaches the caller.
 *
 * <h2>Failures</h2>
 * Every call into a function has the chain's deadline. A call that throws, misses its deadline or
 * returns null abandons the hop's session: from then on, for that flow, the hop is under the
 * chain's {@link io.ringfence.insertion.FailurePolicy} (ALLOW: skipped; BLOCK: the flow's packets
 * are dropped). A hop whose definition has no instance able to take the flow applies the policy to
 * each packet until one registers, and then opens a session on the flow's next packet. An instance
 * whose calls fail several times in a row gets no new flows for a cool-down (circuit breaker).
 *
 * <h2>Deadlines</h2>
 * A thread cannot be taken back from code that hangs, so functions never run on the caller's
 * thread: each instance has a few threads of its own, the caller hands each call over and waits at
 * most the deadline. That costs a hand-off per hop and packet (microseconds; see the steering
 * benchmark), and it means a call abandoned at its deadline may still be reading the packet's
 * payload after {@link io.ringfence.insertion.ChainSession#process} returned: hand over a payload
 * that is not overwritten afterwards.
 *
 * <h2>Unusable profiles</h2>
 * A hop whose profile could not be validated against its definition's schema when the chain was
 * built ({@link io.ringfence.insertion.ChainHop#unusable}: the definition was not registered, or
 * the values no longer fit a newer schema) calls no function: the failure policy decides every
 * packet that reaches it ({@link io.ringfence.insertion.HopOutcome#INVALID_PROFILE}), for the life
 * of the flow.
 *
 * <h2>Traceflow</h2>
 * {@link io.ringfence.insertion.ServiceInsertion#trace} runs one packet through a chain in
 * throwaway sessions, opened, called once and closed, so that traceflow can show each function's
 * verdict without counting anything or touching the sessions of real flows. The partner functions
 * do see that synthetic packet.
 *
 * <h2>Hot-swap</h2>
 * New flows go to the newest instance that accepts them (highest version, not DOWN, circuit
 * breaker closed). A flow in progress stays on its instance while the instance is registered. When
 * the instance leaves, each of its sessions exports its state (if the function exports state) and
 * is closed; the hop is <em>parked</em>, and on the flow's next packet it resumes on the newest
 * instance accepting flows: from the exported state when that instance imports state, else as a
 * fresh session. While no instance is there, the failure policy applies.
 */
@Version("0.3.0")
@Export
package io.ringfence.insertion;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
