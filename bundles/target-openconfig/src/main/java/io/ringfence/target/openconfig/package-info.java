/**
 * The hardware enforcement target: the rule sets of the vNICs behind a network device (a top of
 * rack switch facing bare-metal servers or hypervisor ports) rendered as OpenConfig ACLs and pushed
 * to the device's RESTCONF server. {@link io.ringfence.target.openconfig.OpenConfigTarget} is the
 * {@link io.ringfence.spi.enforcement.EnforcementTarget}; one is made per factory configuration
 * (PID {@code io.ringfence.target.openconfig}, see {@link
 * io.ringfence.target.openconfig.OpenConfigConfiguration}).
 *
 * <h2>The model</h2>
 * {@code openconfig-acl} 1.3 with {@code openconfig-packet-match} 2.1 or later (its ICMP match
 * arrived in 2.1.0, the {@code TCP_ESTABLISHED} built-in in 2.0.0) and the ICMP types of
 * {@code openconfig-icmpv4-types} / {@code openconfig-icmpv6-types} 0.1, encoded as RFC 7951 JSON:
 * the top-level member {@code openconfig-acl:acl}, simple member names below it (the packet-match
 * groupings are used in openconfig-acl and so are in its namespace), list keys repeated beside
 * their {@code config}, identities always qualified by their module ({@code openconfig-acl:ACCEPT},
 * {@code openconfig-packet-match-types:IP_TCP}, {@code openconfig-icmpv4-types:ECHO}), protocols
 * without an identity as numbers (ICMPv6 is {@code 58}), one port as a number, a range as
 * {@code "1024..65535"}, any port or address by leaving the leaf out. Written by {@link
 * io.ringfence.target.openconfig.AclJson}.
 *
 * <h2>Directions</h2>
 * Each vNIC has a device interface facing it (an ACL interface id, {@code <name>} or, by the model's
 * convention, {@code <name>.<subinterface>}, sent as {@code interface-ref}); one interface serves
 * one vNIC, since one ACL per direction cannot hold two rule sets with their default rules. What a
 * VM sends <em>enters</em> the device on that interface:
 * <table>
 * <caption>From rule set to interface</caption>
 * <tr><th>vNIC table</th><th>ACL sets</th><th>bound as</th><th>local side</th><th>remote side</th></tr>
 * <tr><td>OUT (from the VM)</td><td>{@code ringfence-<vnic>-out-ipv4}, {@code -out-ipv6}</td>
 *     <td>{@code ingress-acl-sets}</td><td>{@code source-address}</td><td>{@code destination-address}</td></tr>
 * <tr><td>IN (to the VM)</td><td>{@code ringfence-<vnic>-in-ipv4}, {@code -in-ipv6}</td>
 *     <td>{@code egress-acl-sets}</td><td>{@code destination-address}</td><td>{@code source-address}</td></tr>
 * </table>
 * Ports keep the rule's meaning in both tables: a service's destination ports are the server's
 * port, the packet's {@code destination-port} of the flow's opening packet in either direction.
 * Every vNIC gets all four sets, even for a family it has no address of, so that its default rule
 * holds for IPv6 too.
 *
 * <h2>Entries of a set, in order</h2>
 * <ol>
 * <li>IPv6 sets: accept ICMPv6 neighbour solicitations and advertisements (IPv6's ARP, which no
 *     IPv4 ACL sees either), like the nftables target.</li>
 * <li>Replies: for every ALLOW entry of the <em>other</em> direction, the same addresses the other
 *     way round with the ports swapped: TCP only with ACK or RST set (the model's
 *     {@code builtin-detail TCP_ESTABLISHED}, so a reply can never open a connection), UDP by ports
 *     alone, the reply type of an ICMP query (echo, timestamp, extended echo; any ICMP for a rule
 *     on any ICMP), the same protocol for other protocols, and for a rule on any protocol TCP
 *     replies, UDP and ICMP. They come first because in the stateful original replies never meet
 *     the table.</li>
 * <li>The rules, in order, staged ones left out (a device has no audit mode; the data plane counts
 *     their would-be hits): one entry per local address by remote prefix by service by destination
 *     port range by source port range. {@code log-action} is {@code LOG_SYSLOG} for logged rules.</li>
 * <li>The default rule: no match, last. It logs whatever it denies, as the data plane's flow log does.</li>
 * </ol>
 * Sequence ids step by 10 from 10 in each set. The tests' {@code AclSemanticsTest}
 * checks on random rule sets and packets that the entries decide exactly as this list says.
 *
 * <h2>Negated groups: the complement, not deny-then-permit</h2>
 * An ACL has no address-group objects and no "not". The usual trick, a DROP entry for the group's
 * prefixes followed by the rule's entry for any address, is wrong under first match: a packet from
 * the group must go on to the <em>next</em> rules, which may well allow it, and the DROP decides it
 * instead. So a negated group is rendered as the exact complement of its prefixes in the family
 * (at most one prefix per bit per gap between them: 8 for {@code NOT 10.0.0.0/8}), expanded like
 * any group. An empty or absent group's complement is any address.
 *
 * <h2>Bounded expansion</h2>
 * Groups of thousands of prefixes times services times ports add up; device ACL memory does not.
 * The renderer counts every set's entries before building any, and refuses the whole state with
 * {@code too-many-entries} (naming the largest sets) when the device total would exceed
 * {@code maxEntries} (4096 by default; complements are computed no further than that).
 *
 * <h2>What a stateless ACL loses</h2>
 * <ul>
 * <li>Replies are admitted by their look, not by a connection table: a peer the rule allows may
 *     send ACK packets from the service's port, and UDP from it, whether or not a flow was opened;
 *     a DROP ahead of an ALLOW in the other direction is not mirrored into its replies. This is the
 *     stateless fabric ACL's usual trade (reflexive entries with the established flag).</li>
 * <li>ICMP errors related to a flow (unreachable, packet too big for path MTU discovery) come from
 *     routers, not from the peer, and pass only if a rule allows them: allow ICMP destination
 *     unreachable / ICMPv6 packet too big where path MTU discovery matters.</li>
 * <li>No state to re-check: a rule change acts on the next packet of every flow.</li>
 * <li>Replies for other protocols of a rule on any protocol (GRE, ESP, ...) are not admitted.</li>
 * <li>The local side is the vNIC's addresses: a VM sending from another source (spoofed, DHCP's
 *     0.0.0.0, an IPv6 link-local address other than neighbour discovery) meets the default rule,
 *     stricter than the hypervisor data plane, which knows the vNIC by its port.</li>
 * <li>REJECT is the model's: the device drops and answers with an ICMP error, where the data plane
 *     answers TCP with a reset.</li>
 * <li>Logging is per packet, not per flow, at the device's syslog (devices rate-limit it).</li>
 * <li>ICMP types and codes without an identity in the model cannot be matched; a rule using one is
 *     refused ({@code unsupported-rule}), never widened to any ICMP.</li>
 * <li>Counters are not read back (the model's {@code matched-packets} state is per entry, and an
 *     entry is one piece of an expanded rule).</li>
 * </ul>
 * A rule that cannot be rendered refuses the whole update: skipping it could widen access (a
 * skipped DROP). The device keeps its previous ACLs, and the realization status says why.
 *
 * <h2>The push: one PUT of the whole tree</h2>
 * Every update, full or delta, is merged into the target's copy of the desired state, rendered
 * whole, and sent as one {@code PUT <baseUrl>/restconf/data/openconfig-acl:acl} with
 * {@code Content-Type: application/yang-data+json} and HTTP basic authentication. Replacing the
 * whole resource makes a delta atomic on the device side: one request is one edit of its
 * configuration, validated as a whole, so a refused document changes nothing and an accepted one
 * replaces every ACL at once; the device never holds half an update (how it then reprograms its
 * hardware is its own business). It also makes every push idempotent, and cures any failure or
 * timeout with the next push, whatever the device holds by then; there is no device state to read
 * back or diff. The price is a document as large as the device's ACLs, which {@code maxEntries}
 * bounds: about 380 bytes of JSON per entry, 1.5 MB for 4,000 entries. The target's copy advances only when the device
 * answers 2xx (after a failure the framework sends a full update). The target owns the device's
 * whole {@code openconfig-acl:acl} tree: ACLs configured there by other means are replaced.
 * Pushes run one at a time on the target's own thread, so two never race to the device.
 *
 * <table>
 * <caption>Answers and errors</caption>
 * <tr><th>outcome</th><th>{@code TargetError} code</th><th>retryable</th></tr>
 * <tr><td>2xx</td><td>none: the update's generations are realized</td><td></td></tr>
 * <tr><td>401, 403</td><td>{@code rejected-by-device} (the credentials)</td><td>no</td></tr>
 * <tr><td>other 4xx (408, 429 excepted), 3xx</td><td>{@code rejected-by-device}, with the device's
 *     RFC 8040 {@code error-message} and {@code error-path}</td><td>no</td></tr>
 * <tr><td>5xx, 408, 429</td><td>{@code device-error}</td><td>yes</td></tr>
 * <tr><td>connection refused or lost</td><td>{@code unreachable}</td><td>yes</td></tr>
 * <tr><td>no answer within the timeouts</td><td>{@code timeout}</td><td>yes</td></tr>
 * <tr><td>not renderable</td><td>{@code unsupported-rule}, {@code too-many-entries},
 *     {@code unknown-interface}, {@code unknown-address-group}; nothing is sent</td><td>no</td></tr>
 * </table>
 * The credentials go into the {@code Authorization} header and nowhere else; use https (the JVM's
 * trust store) on anything but a lab network.
 *
 * <h2>Example</h2>
 * vNIC {@code web-01-nic0} (10.0.1.2, 2001:db8:1::2) on {@code Ethernet1/1}; OUT: {@code web-to-app}
 * ALLOW TCP 8080 to group {@code app} (10.0.2.0/24, 2001:db8:2::/64), logged; IN: {@code
 * ping-from-jump} ALLOW ICMP echo from {@code jump} (10.0.9.0/28); default DROP. The IPv4 set of what
 * the VM receives, and the binding ({@code src/test/resources/.../web-01-acl.json} has the whole
 * document of a slightly larger rule set):
 * <pre>{@code
 * {"openconfig-acl:acl": {
 *   "acl-sets": {"acl-set": [
 *     {"name": "ringfence-web-01-nic0-in-ipv4", "type": "openconfig-acl:ACL_IPV4",
 *      "config": {"name": "ringfence-web-01-nic0-in-ipv4", "type": "openconfig-acl:ACL_IPV4",
 *                 "description": "Ringfence: traffic to vNIC web-01-nic0 (VM web-01), IPv4, generation 7"},
 *      "acl-entries": {"acl-entry": [
 *        {"sequence-id": 10, "config": {"sequence-id": 10, "description": "replies to rule web-to-app of policy shop"},
 *         "ipv4": {"config": {"source-address": "10.0.2.0/24", "destination-address": "10.0.1.2/32",
 *                             "protocol": "openconfig-packet-match-types:IP_TCP"}},
 *         "transport": {"config": {"source-port": 8080, "detail-mode": "BUILTIN", "builtin-detail": "TCP_ESTABLISHED"}},
 *         "actions": {"config": {"forwarding-action": "openconfig-acl:ACCEPT", "log-action": "openconfig-acl:LOG_NONE"}}},
 *        {"sequence-id": 20, "config": {"sequence-id": 20, "description": "rule ping-from-jump of policy shop"},
 *         "ipv4": {"config": {"source-address": "10.0.9.0/28", "destination-address": "10.0.1.2/32",
 *                             "protocol": "openconfig-packet-match-types:IP_ICMP"},
 *                  "icmpv4": {"config": {"type": "openconfig-icmpv4-types:ECHO"}}},
 *         "actions": {"config": {"forwarding-action": "openconfig-acl:ACCEPT", "log-action": "openconfig-acl:LOG_NONE"}}},
 *        {"sequence-id": 30, "config": {"sequence-id": 30, "description": "default rule"},
 *         "actions": {"config": {"forwarding-action": "openconfig-acl:DROP", "log-action": "openconfig-acl:LOG_SYSLOG"}}}
 *      ]}},
 *     ... the -out-ipv4, -out-ipv6 and -in-ipv6 sets ...
 *   ]},
 *   "interfaces": {"interface": [
 *     {"id": "Ethernet1/1", "config": {"id": "Ethernet1/1"},
 *      "interface-ref": {"config": {"interface": "Ethernet1/1"}},
 *      "ingress-acl-sets": {"ingress-acl-set": [
 *        {"set-name": "ringfence-web-01-nic0-out-ipv4", "type": "openconfig-acl:ACL_IPV4",
 *         "config": {"set-name": "ringfence-web-01-nic0-out-ipv4", "type": "openconfig-acl:ACL_IPV4"}},
 *        {"set-name": "ringfence-web-01-nic0-out-ipv6", "type": "openconfig-acl:ACL_IPV6", "config": {...}}]},
 *      "egress-acl-sets": {"egress-acl-set": [ ... the two -in- sets ... ]}}
 *   ]}
 * }}
 * }</pre>
 */
package io.ringfence.target.openconfig;
