/**
 * The nftables enforcement target: the rule sets of a Linux hypervisor's vNICs, enforced by the
 * kernel on the bridge the VMs are attached to (the host side of each vNIC, a veth end or a tap
 * device, is a port of that bridge). {@link io.ringfence.target.nftables.NftablesTarget} renders
 * the whole desired state of its vNICs into one nft script per update and applies it with one
 * {@code nft -f -}; the bundle's README shows a generated ruleset.
 *
 * <h2>Families: bridge for the ports, inet for the decisions</h2>
 * A {@code bridge} table sees bridged frames with their ports ({@code iifname}, {@code oifname}),
 * but connection tracking and REJECT in that family need {@code nf_conntrack_bridge} and
 * {@code nft_reject_bridge}, which not every kernel has (the CI kernel has neither). Bridged IPv4
 * and IPv6 traffic also crosses the IP hooks when {@code br_netfilter} is on
 * ({@code net.bridge.bridge-nf-call-iptables} and {@code -ip6tables}), with full conntrack and
 * REJECT, but there the ports are gone (input and output are the bridge). So the work is split:
 * <ul>
 * <li>table {@code bridge ringfence}, chain {@code tagging} (forward hook, priority -200, before
 *     br_netfilter's hook at 0): clears the packet mark and writes the input port's number into its
 *     high 16 bits ({@code meta mark set iifname map @iif_tags}) and the output port's into its low
 *     16 bits (a verdict map to one two-statement chain per port);</li>
 * <li>table {@code inet ringfence}, base chain {@code dispatch} (forward hook, filter priority):
 *     everything else. Packets with mark 0 crossed no managed port and are left alone. Every
 *     configured port is managed: a vNIC whose rule set has not come yet gets chains holding just
 *     the default rule of the latest update, so that its traffic is never unfiltered.</li>
 * </ul>
 *
 * <h2>Chains and the double check</h2>
 * Each vNIC has two chains, {@code out_<port>} (traffic from the vNIC; an entry's remote side is
 * the destination) and {@code in_<port>} (traffic to it; the remote side is the source), holding
 * its entries in order and ending with its default rule. {@code dispatch} sends a packet through
 * the OUT chain of the connection's <em>initiator</em> and then the IN chain of its
 * <em>responder</em>, each found with a verdict map from the mark's port halves (for a reply the
 * initiator is the output port). East-west traffic between two vNICs of the host is thus checked
 * twice, like the in-JVM data plane does on two hosts; an ALLOW ends its chain with {@code return},
 * not {@code accept}, so that the OUT allow does not skip the IN check. Entries match the
 * connection's <em>original tuple</em> ({@code ct original ip daddr}, {@code ct original proto-dst},
 * ...), not the packet's headers: the same for a new connection's first packet, and right for a
 * reply that has to be judged again after a change. Address groups are named interval sets, one
 * per family ({@code g<n>_4}, {@code g<n>_6}); port lists are inline ranges or anonymous sets;
 * ICMP and ICMPv6 type and code are matched where conntrack keeps them for queries (in place of
 * the destination port: type * 256 + code). ICMP messages conntrack does not track (errors that
 * belong to no connection) are invalid and dropped; errors that belong to a connection pass with
 * it ({@code related}). IPv6 neighbour solicitations and advertisements always pass: they are
 * IPv6's ARP, and ARP never reaches these hooks.
 *
 * <h2>Established connections: verdict tokens</h2>
 * {@code ct state established,related accept} alone would let a connection live on after its
 * rule turned to DROP. Instead every ALLOW <em>decision</em> has a 16-bit token ({@link
 * io.ringfence.target.nftables.VerdictTokens}); the chains stamp the initiator's OUT token into
 * the high half of the connection's {@code ct mark} and the responder's IN token into the low half
 * (0: no decision on that side, a port the target does not manage). The fast path is one rule:
 * established or related, and both halves in the sets of valid tokens ({@code out_valid},
 * {@code in_valid}) - then count and accept. A decision keeps its token as long as nothing that
 * could take a connection from it changes (the entry itself with its address group's contents,
 * the DROP and REJECT entries before it, the vNIC's port; see {@link
 * io.ringfence.target.nftables.RulesetPlan}): a new ALLOW rule, a rule further down, another rule's
 * group growing, leave it alone. When it changes, its token leaves the valid set, and each
 * connection carrying it is classified again by its next packet, against the new chains and on its
 * original tuple: still allowed, it gets the new token and goes on; denied, it is dropped (or
 * reset), packet after packet - cut. This is the in-JVM data plane's revalidation, done lazily by
 * the kernel. A token that leaves service rests (sets {@code out_resting}, {@code in_resting},
 * with the kernel's element timeouts, so that a restarted target finds them) for the configured
 * quarantine before it names another decision: an idle connection still carrying it must not come
 * back as someone else's. The quarantine defaults to the kernel's TCP established timeout plus an
 * hour; a host runs out of tokens only with 65,535 live ALLOW decisions in one direction (the
 * update then fails with {@code capacity}), or with so much churn that every free token rests, in
 * which case the longest-resting one is taken early and that is logged.
 *
 * <h2>REJECT</h2>
 * {@code reject with tcp reset} for TCP, {@code reject with icmpx type admin-prohibited} for
 * anything else (an entry for any protocol becomes two rules), as the in-JVM data plane answers.
 * Through br_netfilter the kernel sends the reset out of the offender's bridge port as if the
 * destination had refused; both the reset and the ICMP error need the hypervisor's IP stack to
 * have a route to the offender (a route via the bridge is enough, no address needed; the ICMP error
 * then comes from a hypervisor address). Without one, REJECT answers nothing and acts as DROP.
 *
 * <h2>Counters</h2>
 * One named counter per vNIC, direction and rule ({@code c_} and a digest of the three), plus one
 * for the default rule; classification counts the packet on the deciding entry, the fast path on
 * the entries the connection's tokens name ({@code counter name ct mark ... map @out_counters}).
 * So a rule counts every packet of the connections it allowed, on both ends, like the in-JVM data
 * plane, and every packet it dropped or rejected. {@link
 * io.ringfence.target.nftables.NftablesTarget#counters()} reads them with {@code nft -j list
 * counters} and sums the two directions into one {@link io.ringfence.spi.enforcement.RuleCounter}
 * per vNIC and rule. Counters live as long as their rule stays on the vNIC.
 *
 * <h2>Staged entries, logging, the default rule</h2>
 * Staged entries decide nothing and are left out: their would-be hits are the in-JVM data plane's
 * to count (the SPI allows a target to skip them). Logged rules are enforced but not logged by the
 * kernel. Each chain ends with the vNIC's default rule, so a vNIC's default-deny holds from the
 * first update that names it.
 *
 * <h2>One transaction per update</h2>
 * Every update renders the whole desired state, object by object (a chain with its rules, a set or
 * map with its elements, a counter), and compares it with what the previous script left. The
 * script declares the new objects, flushes and rewrites only the chains, sets and maps whose
 * content changed, and deletes the objects the state no longer has, last; unchanged chains and sets
 * are not touched, so nft's work follows the change, not the size of the ruleset. The first update
 * of a target, every full update from the framework, and any update after a failure (when the
 * target cannot be sure what the kernel holds) are <em>full</em> scripts instead: both tables are
 * flushed and everything is written again, which also repairs whatever drifted. Either way
 * {@code nft -f} applies the script as one netlink transaction: packets see the old ruleset or the
 * new one, never a mix, and a refused script changes nothing. The tables are flushed, never
 * deleted, so that named counters keep counting and resting tokens keep resting; on shutdown the
 * kernel keeps enforcing the last ruleset (fail static). The benchmarks measure what an update
 * costs (benchmarks/README.md).
 *
 * <h2>What reaches the script</h2>
 * No identifier from the model: ports, vNIC chains and address-group sets are numbered, counters
 * named by digest; interface and table names are checked against a strict pattern when the target
 * is configured; addresses are parsed and printed again; every number is ours.
 *
 * <h2>Limits</h2>
 * Traffic between a VM and the hypervisor itself does not cross the forward hook and is not
 * checked. The target owns the packet mark of bridged frames and the conntrack mark of the
 * connections it tracks. A connection whose one end was an unmanaged port keeps 0 in that half of
 * its mark, which stays valid should the port later become a vNIC's.
 */
package io.ringfence.target.nftables;
