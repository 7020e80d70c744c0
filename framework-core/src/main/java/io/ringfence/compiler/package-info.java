/**
 * Split and smear: the consolidated policy compiled down to one rule table per vNIC, kept current
 * incrementally, and handed to the hosts that enforce it.
 *
 * <h2>What lands on a vNIC</h2>
 * A vNIC <em>belongs</em> to a group when its VM is a member of the group, or when one of its
 * addresses lies in the group's static addresses (those of the group and its nested groups, less
 * exclusions). Membership is per vNIC as a whole. A rule that is not disabled lands on vNIC v:
 * <ul>
 * <li>only if v belongs to one of its applied-to groups (no applied-to: everywhere relevant);</li>
 * <li>as an OUT entry if the rule's direction is OUT or IN_OUT and v is on the source side: the
 *     sources are ANY, or v belongs to one of them, or — when negated — to none of them;</li>
 * <li>as an IN entry if the direction is IN or IN_OUT and v is on the destination side, likewise.</li>
 * </ul>
 * The entry matches the other side of the packet (the destination for OUT, the source for IN)
 * against the rule's <em>remote</em> address group: the union of the address sets of the groups of
 * that side (ANY when the side is empty; a negated side matches addresses outside it), and its
 * services (any when there are none). Entries are in evaluation order: category (Emergency,
 * Infrastructure, Environment, Application), policy sequence, policy id, rule sequence, rule id;
 * the default rule ends the table.
 *
 * <h2>Staged rules (audit mode)</h2>
 * A staged rule is compiled like any enabled rule, to the same vNICs and in its place in the
 * evaluation order, with its entries marked {@link io.ringfence.compiler.CompiledRule#staged()}
 * (a disabled rule, staged or not, is compiled nowhere). The data plane decides every new flow
 * with the enforced entries only, exactly as if the staged ones were absent. Beside that, it
 * evaluates the table as if the staged entries were enforced: when the first match of that
 * would-be table is a staged entry, that rule gets a <em>would-be hit</em>, counted apart from
 * real hits, and, if the rule is logged, a flow-log record marked staged that names the verdict
 * it would have given and the rule that actually decided. Only the first packet of a new flow is
 * evaluated this way: established flows are not re-evaluated for staged rules, and a staged rule
 * never cuts a flow when a table changes. Staging or enforcing a rule changes its entries, hence
 * the tables it lands on, like any other rule edit.
 *
 * <h2>Address groups</h2>
 * Remote sides refer to {@link io.ringfence.compiler.AddressGroup}s by id instead of carrying
 * addresses, so that a VM joining a group changes one address group on the hosts that use it,
 * not the rule table of every vNIC that talks to the group.
 *
 * <h2>Generations</h2>
 * Every change that alters compiled state takes the next generation; the vNIC rule sets and
 * address groups it alters carry it. Generations only grow. Each host receives, through its
 * {@link io.ringfence.compiler.HostRuleSetConsumer}, the full state once and then a
 * {@link io.ringfence.compiler.HostDelta} per change that touches it.
 */
@Version("0.4.0")
@Export
package io.ringfence.compiler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
