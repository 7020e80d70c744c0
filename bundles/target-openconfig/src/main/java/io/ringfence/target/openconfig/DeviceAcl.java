package io.ringfence.target.openconfig;

import java.util.List;

/**
 * The whole ACL state of a device, as rendered from its vNICs' rule sets: what {@link AclJson}
 * writes as one {@code openconfig-acl:acl} document.
 *
 * @param sets       the ACL sets, four per vNIC
 * @param interfaces one per vNIC, binding its sets
 */
record DeviceAcl(List<AclSet> sets, List<Binding> interfaces) {

    DeviceAcl {
        sets = List.copyOf(sets);
        interfaces = List.copyOf(interfaces);
    }

    /** One ACL set: entries of one family, evaluated by ascending sequence id, first match wins. */
    record AclSet(String name, Family family, String description, List<Entry> entries) {

        AclSet {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One ACL entry.
     *
     * @param log send matched packets to syslog ({@code LOG_SYSLOG}; else {@code LOG_NONE})
     */
    record Entry(long sequenceId, String description, Match match, Action action, boolean log) {
    }

    /** The forwarding actions of the model. */
    enum Action {
        ACCEPT, DROP, REJECT;

        String identity() {
            return "openconfig-acl:" + name();
        }
    }

    /**
     * What an entry matches; null means any.
     *
     * @param protocol    IP protocol number (IPv6: next header)
     * @param icmpType    an identity of the family's ICMP types
     * @param icmpCode    an identity of its codes
     * @param established TCP with ACK or RST set: the model's {@code TCP_ESTABLISHED} built-in
     */
    record Match(Prefix source, Prefix destination, Integer protocol, PortRange sourcePort, PortRange destinationPort,
                 String icmpType, String icmpCode, boolean established) {

        static final Match ANY = new Match(null, null, null, null, null, null, null, false);
    }

    /** An inclusive port range. */
    record PortRange(int from, int to) {

        PortRange {
            if (from < 0 || to > 65535 || from > to) {
                throw new IllegalArgumentException("bad port range " + from + "-" + to);
            }
        }

        boolean isAny() {
            return from == 0 && to == 65535;
        }
    }

    /**
     * The sets bound to one device interface.
     *
     * @param id           the ACL interface id ({@code <name>} or {@code <name>.<subinterface>})
     * @param name         the base interface ({@code interface-ref/config/interface})
     * @param subinterface its subinterface index, or null for the base interface
     * @param ingress      sets that check packets entering the device: what the VM sends
     * @param egress       sets that check packets leaving the device towards the VM
     */
    record Binding(String id, String name, Long subinterface, List<AclSet> ingress, List<AclSet> egress) {

        Binding {
            ingress = List.copyOf(ingress);
            egress = List.copyOf(egress);
        }
    }
}
