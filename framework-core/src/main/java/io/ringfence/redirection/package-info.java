/**
 * Steering: which service chain, if any, each flow the firewall allowed is redirected to.
 *
 * <h2>What the redirection policies mean</h2>
 * Redirection policies are evaluated by sequence, their rules by rule sequence; disabled policies
 * and disabled rules are skipped. For a new flow of vNIC v in direction d, the first rule that
 * matches decides: REDIRECT selects the rule's chain, DO_NOT_REDIRECT selects none (later rules
 * are not consulted); when no rule matches, the flow is not redirected. A rule matches when, as
 * for a firewall rule (see {@code io.ringfence.compiler}):
 * <ul>
 * <li>its direction is d or IN_OUT;</li>
 * <li>v belongs to one of its applied-to groups (none: everywhere relevant);</li>
 * <li>v is on the local side: the sources for OUT, the destinations for IN (empty: ANY; negated:
 *     v belongs to none of them);</li>
 * <li>the packet's other address (the destination for OUT, the source for IN) is in the address
 *     set of the remote side (empty: ANY; negated: outside it);</li>
 * <li>the packet matches one of its services (none: any protocol and port).</li>
 * </ul>
 * Group membership comes from the policy compiler: a vNIC belongs to a group when its VM is a
 * member or one of its addresses lies in the group's address set. (For firewall entries the
 * compiler counts the group's static addresses only; the two differ only for a vNIC that shares an
 * address with a member's vNIC on another segment.)
 *
 * <p>The data plane ({@code io.ringfence.dataplane.steering}) asks once per new flow it allows, at
 * each vNIC the flow crosses, and keeps the answer for the life of the flow: a change of the
 * redirection policies applies to new flows.
 */
@Version("0.1.0")
@Export
package io.ringfence.redirection;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
