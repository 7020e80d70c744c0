package io.ringfence.target.openconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.target.openconfig.DeviceAcl.AclSet;
import io.ringfence.target.openconfig.DeviceAcl.Binding;
import io.ringfence.target.openconfig.DeviceAcl.Entry;
import io.ringfence.target.openconfig.DeviceAcl.Match;
import io.ringfence.target.openconfig.DeviceAcl.PortRange;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link DeviceAcl} as the RFC 7951 JSON of the {@code openconfig-acl:acl} container:
 * the top-level member qualified by its module, members below it simple (they are all in
 * {@code openconfig-acl}'s namespace, the packet-match groupings included, being used there), list
 * keys repeated beside their {@code config}, identities qualified by the module that defines them
 * (always, although the simple form would do for {@code openconfig-acl}'s own), integers up to 32
 * bits as JSON numbers, a port range as its {@code "from..to"} string.
 */
final class AclJson {

    /** The data resource and the body's single top-level member. */
    static final String ROOT = "openconfig-acl:acl";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Protocols that {@code openconfig-packet-match-types} names; others are written as numbers. */
    private static final Map<Integer, String> PROTOCOLS = Map.of(1, "IP_ICMP", 2, "IP_IGMP", 4, "IP_IN_IP",
            6, "IP_TCP", 17, "IP_UDP", 46, "IP_RSVP", 47, "IP_GRE", 51, "IP_AUTH", 103, "IP_PIM", 115, "IP_L2TP");

    private AclJson() {
    }

    /** The request body: {@code {"openconfig-acl:acl": {...}}}. */
    static ObjectNode document(DeviceAcl acl) {
        ObjectNode root = NODES.objectNode();
        ObjectNode top = root.putObject(ROOT);
        ArrayNode sets = top.putObject("acl-sets").putArray("acl-set");
        acl.sets().forEach(s -> sets.add(set(s)));
        ArrayNode interfaces = top.putObject("interfaces").putArray("interface");
        acl.interfaces().forEach(b -> interfaces.add(binding(b)));
        return root;
    }

    static byte[] bytes(DeviceAcl acl) {
        try {
            return MAPPER.writeValueAsBytes(document(acl));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own cannot fail to serialize", e);
        }
    }

    private static ObjectNode set(AclSet s) {
        ObjectNode set = NODES.objectNode();
        set.put("name", s.name());
        set.put("type", s.family().aclType);
        set.putObject("config").put("name", s.name()).put("type", s.family().aclType)
                .put("description", s.description());
        ArrayNode entries = set.putObject("acl-entries").putArray("acl-entry");
        s.entries().forEach(e -> entries.add(entry(e, s.family())));
        return set;
    }

    private static ObjectNode entry(Entry e, Family family) {
        ObjectNode entry = NODES.objectNode();
        entry.put("sequence-id", e.sequenceId());
        entry.putObject("config").put("sequence-id", e.sequenceId()).put("description", e.description());
        Match m = e.match();
        ObjectNode ip = NODES.objectNode();
        ObjectNode ipConfig = NODES.objectNode();
        if (m.source() != null) {
            ipConfig.put("source-address", m.source().toString());
        }
        if (m.destination() != null) {
            ipConfig.put("destination-address", m.destination().toString());
        }
        if (m.protocol() != null) {
            String identity = PROTOCOLS.get(m.protocol());
            if (identity != null) {
                ipConfig.put("protocol", "openconfig-packet-match-types:" + identity);
            } else {
                ipConfig.put("protocol", m.protocol().intValue());
            }
        }
        if (!ipConfig.isEmpty()) {
            ip.set("config", ipConfig);
        }
        if (m.icmpType() != null) {
            ObjectNode icmp = ip.putObject(family.icmpContainer).putObject("config").put("type", m.icmpType());
            if (m.icmpCode() != null) {
                icmp.put("code", m.icmpCode());
            }
        }
        if (!ip.isEmpty()) {
            entry.set(family.container, ip);
        }
        ObjectNode transport = NODES.objectNode();
        port(transport, "source-port", m.sourcePort());
        port(transport, "destination-port", m.destinationPort());
        if (m.established()) {
            transport.put("detail-mode", "BUILTIN").put("builtin-detail", "TCP_ESTABLISHED");
        }
        if (!transport.isEmpty()) {
            entry.putObject("transport").set("config", transport);
        }
        entry.putObject("actions").putObject("config")
                .put("forwarding-action", e.action().identity())
                .put("log-action", e.log() ? "openconfig-acl:LOG_SYSLOG" : "openconfig-acl:LOG_NONE");
        return entry;
    }

    private static void port(ObjectNode config, String leaf, PortRange range) {
        if (range == null) {
            return;
        }
        if (range.from() == range.to()) {
            config.put(leaf, range.from());
        } else {
            config.put(leaf, range.from() + ".." + range.to());
        }
    }

    private static ObjectNode binding(Binding b) {
        ObjectNode itf = NODES.objectNode();
        itf.put("id", b.id());
        itf.putObject("config").put("id", b.id());
        ObjectNode ref = itf.putObject("interface-ref").putObject("config").put("interface", b.name());
        if (b.subinterface() != null) {
            ref.put("subinterface", b.subinterface().longValue());
        }
        bind(itf.putObject("ingress-acl-sets").putArray("ingress-acl-set"), b.ingress());
        bind(itf.putObject("egress-acl-sets").putArray("egress-acl-set"), b.egress());
        return itf;
    }

    private static void bind(ArrayNode list, List<AclSet> sets) {
        for (AclSet s : sets) {
            ObjectNode ref = list.addObject();
            ref.put("set-name", s.name());
            ref.put("type", s.family().aclType);
            ref.putObject("config").put("set-name", s.name()).put("type", s.family().aclType);
        }
    }
}
