package io.ringfence.target.openconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulated device checks in an {@code openconfig-acl:acl} document before it takes it:
 * the structure and the types of openconfig-acl 1.3 with openconfig-packet-match 2.1, as RFC 7951
 * encodes them (qualified top-level member, simple names below, list keys equal to their
 * {@code config}, identities qualified unless they are openconfig-acl's own, 8 to 32-bit integers
 * as JSON numbers, port ranges as strings), the {@code when} and {@code mandatory} statements and
 * leafrefs of the model, and a few things devices refuse besides, each marked "device" below.
 * Written from the YANG modules by hand, independently of the renderer, so that the two do not
 * share a mistake.
 */
final class AclModelValidator {

    /** An RFC 8040 error: its {@code error-tag}, {@code error-path} and {@code error-message}. */
    record Problem(String tag, String path, String message) {
    }

    private static final String ACL = "openconfig-acl";
    private static final Set<String> ACL_TYPES = Set.of("ACL_IPV4", "ACL_IPV6", "ACL_L2", "ACL_MIXED", "ACL_MPLS");
    private static final Set<String> FORWARDING = Set.of("ACCEPT", "DROP", "REJECT");
    private static final Set<String> LOGGING = Set.of("LOG_SYSLOG", "LOG_NONE");
    private static final Map<String, Integer> PROTOCOLS = Map.of("IP_TCP", 6, "IP_UDP", 17, "IP_ICMP", 1,
            "IP_IGMP", 2, "IP_PIM", 103, "IP_RSVP", 46, "IP_GRE", 47, "IP_AUTH", 51, "IP_L2TP", 115, "IP_IN_IP", 4);
    private static final Set<String> TCP_FLAGS = Set.of("TCP_SYN", "TCP_FIN", "TCP_RST", "TCP_PSH", "TCP_ACK",
            "TCP_URG", "TCP_ECE", "TCP_CWR");
    private static final Set<String> ICMPV4_TYPES = names("""
            ECHO_REPLY DST_UNREACHABLE REDIRECT ECHO ROUTER_ADVERTISEMENT ROUTER_SOLICITATION TIME_EXCEEDED
            PARAM_PROBLEM TIMESTAMP TIMESTAMP_REPLY TRACEROUTE PHOTURIS EXT_ECHO_REQUEST EXT_ECHO_REPLY
            """);
    private static final Set<String> ICMPV4_CODES = names("""
            ECHO_REPLY_CODE ECHO_REPLY_NONE DST_UNREACHABLE_CODE DST_UNREACHABLE_NET DST_UNREACHABLE_HOST
            DST_UNREACHABLE_PROTOCOL DST_UNREACHABLE_PORT DST_UNREACHABLE_CANNOT_FRAGMENT
            DST_UNREACHABLE_SRC_ROUTE_FAILED DST_UNREACHABLE_DST_NET_UNKNOWN
            DST_UNREACHABLE_DST_HOST_UNKNOWN DST_UNREACHABLE_SRC_HOST_ISOLATED
            DST_UNREACHABLE_DST_NET_ADMIN_PROHIBITED DST_UNREACHABLE_DST_HOST_ADMIN_PROHIBITED
            DST_UNREACHABLE_NET_UNREACHABLE_FOR_TOS DST_UNREACHABLE_HOST_UNREACHABLE_FOR_TOS
            DST_UNREACHABLE_ADMIN_PROHIBITED DST_UNREACHABLE_HOST_PRECEDENCE_VIOLATION
            DST_UNREACHABLE_PRECEDENCE_CUTOFF REDIRECT_CODE REDIRECT_NETWORK REDIRECT_HOST
            REDIRECT_TOS_NETWORK REDIRECT_TOS_HOST ECHO_CODE ECHO_NO_CODE ROUTER_ADVERTISEMENT_CODE
            ROUTER_ADVERTISEMENT_NORMAL ROUTER_ADVERTISEMENT_DOES_NOT_ROUTE_COMMON ROUTER_SELECTION_CODE
            ROUTER_SELECTION_NO_CODE TIME_EXCEEDED_CODE TIME_EXCEEDED_IN_TRANSIT
            TIME_EXCEEDED_FRAGMENT_REASSEMBLY_IN_TRANSIT PARAM_PROBLEM_CODE
            PARAM_PROBLEM_POINTER_INDICATES_ERR PARAM_PROBLEM_MISSING_REQ_OPTION PARAM_PROBLEM_BAD_LENGTH
            TIMESTAMP_CODE TIMESTAMP_NO_CODE TIMESTAMP_REPLY_CODE TIMESTAMP_REPLY_NO_CODE PHOTURIS_CODE
            PHOTURIS_BAD_SPI PHOTURIS_AUTH_FAILED PHOTURIS_DECOMPRESS_FAILED PHOTURIS_DECRYPTION_FAILED
            PHOTURIS_NEED_AUTHENTICATION PHOTURIS_NEED_AUTHORIZATION EXT_ECHO_REQUEST_CODE
            EXT_ECHO_REQUEST_NO_ERROR EXT_ECHO_REPLY_CODE EXT_ECHO_REPLY_NO_ERROR
            EXT_ECHO_REPLY_MALFORMED_QUERY EXT_ECHO_REPLY_NO_SUCH_INTF EXT_ECHO_REPLY_NO_SUB_TABLE_ENTRY
            EXT_ECHO_REPLY_MULTIPLE_INTF_SATISFY_QUERY
            """);
    private static final Set<String> ICMPV6_TYPES = names("""
            DESTINATION_UNREACHABLE PACKET_TOO_BIG TIME_EXCEEDED PARAMETER_PROBLEM ECHO_REQUEST ECHO_REPLY
            MULTICAST_LISTENER_QUERY MULTICAST_LISTENER_REPORT MULTICAST_LISTENER_DONE ROUTER_SOLICITATION
            ROUTER_ADVERTISEMENT NEIGHBOR_SOLICITATION NEIGHBOR_ADVERTISEMENT REDIRECT RENUNBERING
            NODE_INFORMATION_QUERY NODE_INFORMATION_RESPONSE INVERSE_NEIGHBOR_SOLICITATION
            INVERSE_NEIGHBOR_ADVERTISEMENT VERSION2_MULTICAST_LISTENER HOME_AGENT_ADDRESS_DISCOVERY_REQUEST
            HOME_AGENT_ADDRESS_DISCOVERY_REPLY MOBILE_PREFIX_SOLICITATION MOBILE_PREFIX_ADVERTISEMENT
            CERTIFICATION_PATH_SOLICITATION CERTIFICATION_PATH_ADVERTISEMENT MULTICAST_ROUTER_ADVERTISEMENT
            MULTICAST_ROUTER_SOLICITATION MULTICAST_ROUTER_TERMINATION FMIPV6 RPL_CONTROL
            ILNPV6_LOCATOR_UPDATE DUPLICATE_ADDRESS_REQUEST DUPLICATE_ADDRESS_CONFIRMATION MPL_CONTROL
            EXT_ECHO_REQUEST EXT_ECHO_REPLY
            """);
    private static final Set<String> ICMPV6_CODES = names("""
            DST_UNREACHABLE_CODE DST_UNREACHABLE_NO_ROUTE_TO_DST DST_UNREACHABLE_DST_ADMIN_PROHIBITED
            DST_UNREACHABLE_BEYOND_SCOPE_OF_SRC DST_UNREACHABLE_ADDR DST_UNREACHABLE_PORT
            DST_UNREACHABLE_SRC_ADDR_FAILED_POLICY DST_UNREACHABLE_REJECT_ROUTE_TO_DST
            DST_UNREACHABLE_ERR_IN_SRC_ROUTING_HDR DST_UNREACHABLE_HDRS_TOO_LONG PACKET_TOO_BIG_CODE
            PACKET_TOO_BIG_NO_CODE TIME_EXCEEDED_CODE TIME_EXCEEDED_HOP_LIMIT
            TIME_EXCEEDED_FRAGMENT_REASSEMBLY PARAM_PROBLEM_CODE PARAM_PROBLEM_ERR_HDR_FIELD
            PARAM_PROBLEM_UNRECOGNIZED_NET_HDR_TYPE PARAM_PROBLEM_UNRECOGNIZED_IPV6_OPT
            PARAM_PROBLEM_INCOMPLETE_HDR_CHAIN PARAM_PROBLEM_SR_UPPER_HDR_ERR
            PARAM_PROBLEM_UNRECOGNIZED_NEXT_HDR_TYPE PARAM_PROBLEM_EXT_HDR_TOO_BIG
            PARAM_PROBLEM_EXT_HDR_CHAIN_TOO_LONG PARAM_PROBLEM_TOO_MANY_EXT_HDRS
            PARAM_PROBLEM_TOO_MANY_OPTS PARAM_PROBLEM_OPT_TOO_BIG ECHO_REQUEST_CODE ECHO_REQUEST_NO_CODE
            ECHO_REPLY_CODE ECHO_REPLY_NO_CODE MULTICAST_LISTENER_QUERY_CODE
            MULTICAST_LISTENER_QUERY_NO_CODE MULTICAST_LISTENER_REPORT_CODE
            MULTICAST_LISTENER_REPORT_NO_CODE MULTICAST_LISTENER_DONE_CODE MULTICAST_LISTENER_DONE_NO_CODE
            ROUTER_SOLICITATION_CODE ROUTER_SOLICITATION_NO_CODE ROUTER_ADVERTISEMENT_CODE
            ROUTER_ADVERTISEMENT_NO_CODE NEIGHBOR_SOLICITATION_CODE NEIGHBOR_SOLICITATION_NO_CODE
            NEIGHBOR_ADVERTISEMENT_CODE NEIGHBOR_ADVERTISEMENT_NO_CODE REDIRECT_CODE REDIRECT_NO_CODE
            RENUMBERING_CODE RENUMBERING_COMMAND RENUNBERING_RESULT RENUNBERING_SEQ_NUM_RESET
            NODE_INFORMATION_QUERY_CODE NODE_INFORMATION_QUERY_IPV6_ADDR NODE_INFORMATION_QUERY_NAME
            NODE_INFORMATION_QUERY_IPV4_ADDR NDDE_INFORMATION_RESPONSE_CODE
            NODE_INFORMATION_RESPONSE_SUCCESS NODE_INFORMATION_RESPONSE_REFUSED
            NODE_INFORMATION_RESPONSE_UNKNOWN INVERSE_NEIGHBOR_ADVERTISEMENT_CODE
            INVERSE_NEIGHBOR_ADVERTISEMENT_NO_CODE INVERSE_NEIGHBOR_SOLICITATION_CODE
            INVERSE_NEIGHBOR_SOLICITATION_NO_CODE HOME_AGENT_ADDRESS_DISCOVERY_REQUEST_CODE
            HOME_AGENT_ADDRESS_DISCOVERY_REQUEST_NO_CODE HOME_AGENT_ADDRESS_DISCOVERY_REPLY_CODE
            HOME_AGENT_ADDRESS_DISCOVERY_REPLY_NO_CODE MOBILE_PREFIX_SOLICITATION_CODE
            MOBILE_PREFIX_SOLICITATION_NO_CODE MOBILE_PREFIX_ADVERTISEMENT_CODE
            MOBILE_PREFIX_ADVERTISEMENT_NO_CODE DUPLICATE_ADDRESS_REQUEST_CODE
            DUPLICATE_ADDRESS_REQUEST_DAR DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR64
            DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR128 DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR192
            DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR256 DUPLICATE_ADDRESS_REPLY_CODE DUPLICATE_ADDRESS_REPLY_DAC
            DUPLICATE_ADDRESS_REPLY_EDAC_ROVR64 DUPLICATE_ADDRESS_REPLY_EDAC_ROVR128
            DUPLICATE_ADDRESS_REPLY_EDAC_ROVR192 DUPLICATE_ADDRESS_REPLY_EDAC_ROVR256 EXT_ECHO_REQUEST_CODE
            EXT_ECHO_REQUEST_NO_ERROR EXT_ECHO_REPLY_CODE EXT_ECHO_REPLY_NO_ERROR
            EXT_ECHO_REPLY_MALFORMED_QUERY EXT_ECHO_REPLY_NO_SUCH_INTERFACE
            EXT_ECHO_REPLY_NO_SUCH_TABLE_ENTRY EXT_ECHO_REPLY_MULTIPLE_INTF_SATISFY_QUERY
            """);

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    private static final Pattern IPV4_PREFIX = Pattern.compile(OCTET + "(\\." + OCTET + "){3}/(3[0-2]|[12][0-9]|[0-9])");
    private static final Pattern IPV6_PREFIX = Pattern.compile("([0-9a-fA-F:]+)/(12[0-8]|1[01][0-9]|[1-9][0-9]|[0-9])");
    private static final Pattern PORT_RANGE = Pattern.compile("([0-9]{1,5})\\.\\.([0-9]{1,5})");

    private final Set<String> deviceInterfaces;
    private final List<Problem> problems = new ArrayList<>();
    /** (name, type) of every ACL set: what interface bindings may refer to. */
    private final Set<String> setKeys = new HashSet<>();

    private AclModelValidator(Set<String> deviceInterfaces) {
        this.deviceInterfaces = deviceInterfaces;
    }

    /** Everything wrong with a PUT body for {@code /restconf/data/openconfig-acl:acl}; empty if nothing. */
    static List<Problem> validate(JsonNode document, Set<String> deviceInterfaces) {
        AclModelValidator v = new AclModelValidator(deviceInterfaces);
        v.document(document);
        return v.problems;
    }

    private void document(JsonNode document) {
        if (!document.isObject() || document.size() != 1 || !document.has(ACL + ":acl")) {
            // RFC 8040 4.5: the body holds exactly the target data resource, by its qualified name
            problem("malformed-message", "/", "the body must hold exactly one member, openconfig-acl:acl");
            return;
        }
        JsonNode acl = document.get(ACL + ":acl");
        String path = "/openconfig-acl:acl";
        if (!object(acl, path, "config", "acl-sets", "interfaces")) {
            return;
        }
        if (acl.has("config")) {
            object(acl.get("config"), path + "/config");
        }
        if (acl.has("acl-sets")) {
            aclSets(acl.get("acl-sets"), path + "/acl-sets");
        }
        if (acl.has("interfaces")) {
            interfaces(acl.get("interfaces"), path + "/interfaces");
        }
    }

    private void aclSets(JsonNode sets, String path) {
        for (JsonNode set : list(sets, path, "acl-set")) {
            String name = string(set.get("name"), path + "/acl-set/name", true);
            String type = identity(set.get("type"), path + "/acl-set/type", ACL, ACL_TYPES, true);
            String at = path + "/acl-set[name='" + name + "'][type='" + type + "']";
            if (!object(set, at, "name", "type", "config", "acl-entries") || name == null || type == null) {
                continue;
            }
            if (!setKeys.add(name + "|" + type)) {
                problem("data-exists", at, "two ACL sets named " + name + " of type " + type);
            }
            JsonNode config = set.get("config");
            if (config == null || !object(config, at + "/config", "name", "type", "description")) {
                problem("missing-element", at + "/config", "the list keys refer to config/name and config/type");
                continue;
            }
            if (!name.equals(string(config.get("name"), at + "/config/name", true))
                    || !type.equals(identity(config.get("type"), at + "/config/type", ACL, ACL_TYPES, true))) {
                problem("invalid-value", at + "/config", "the keys name and type must equal config/name and config/type");
            }
            string(config.get("description"), at + "/config/description", false);
            if (!type.equals("ACL_IPV4") && !type.equals("ACL_IPV6")) {
                problem("operation-not-supported", at + "/type", "device: only ACL_IPV4 and ACL_IPV6 sets are supported");
                continue;
            }
            if (set.has("acl-entries")) {
                entries(set.get("acl-entries"), at + "/acl-entries", type);
            }
        }
    }

    private void entries(JsonNode entries, String path, String setType) {
        Set<Long> ids = new HashSet<>();
        for (JsonNode entry : list(entries, path, "acl-entry")) {
            Long id = uint(entry.get("sequence-id"), path + "/acl-entry/sequence-id", 0xFFFF_FFFFL, true);
            String at = path + "/acl-entry[sequence-id='" + id + "']";
            if (!object(entry, at, "sequence-id", "config", "ipv4", "ipv6", "transport", "actions") || id == null) {
                continue;
            }
            if (!ids.add(id)) {
                problem("data-exists", at, "sequence-id " + id + " used twice in one ACL set");
            }
            JsonNode config = entry.get("config");
            if (config == null || !object(config, at + "/config", "sequence-id", "description")
                    || !id.equals(uint(config.get("sequence-id"), at + "/config/sequence-id", 0xFFFF_FFFFL, true))) {
                problem("invalid-value", at + "/config", "the key sequence-id must equal config/sequence-id");
            } else {
                string(config.get("description"), at + "/config/description", false);
            }
            Object protocol = null;
            boolean icmp = false;
            for (String family : List.of("ipv4", "ipv6")) {
                if (!entry.has(family)) {
                    continue;
                }
                if (!setType.equals(family.equals("ipv4") ? "ACL_IPV4" : "ACL_IPV6")) {
                    // when "../../config/type='ACL_IPV4' or ... 'ACL_MIXED'"
                    problem("unknown-element", at + "/" + family, family + " fields are not valid in a " + setType + " set");
                    continue;
                }
                protocol = ip(entry.get(family), at + "/" + family, family);
                icmp = entry.get(family).has("icmp" + (family.equals("ipv4") ? "v4" : "v6"));
            }
            if (icmp && !(family(setType) == 4 ? Integer.valueOf(1) : Integer.valueOf(58)).equals(protocol)) {
                problem("invalid-value", at, "device: an ICMP match needs protocol " + (family(setType) == 4 ? "IP_ICMP" : "58"));
            }
            if (entry.has("transport")) {
                transport(entry.get("transport"), at + "/transport", protocol);
            }
            JsonNode actions = entry.get("actions");
            if (actions == null || !object(actions, at + "/actions", "config")
                    || !actions.has("config") || !object(actions.get("config"), at + "/actions/config",
                    "forwarding-action", "log-action")) {
                problem("missing-element", at + "/actions/config/forwarding-action", "forwarding-action is mandatory");
                continue;
            }
            identity(actions.get("config").get("forwarding-action"), at + "/actions/config/forwarding-action", ACL,
                    FORWARDING, true);
            identity(actions.get("config").get("log-action"), at + "/actions/config/log-action", ACL, LOGGING, false);
        }
    }

    private static int family(String setType) {
        return setType.equals("ACL_IPV4") ? 4 : 6;
    }

    /** The ipv4 / ipv6 container; answers the protocol matched (an Integer), or null for any. */
    private Object ip(JsonNode ip, String path, String family) {
        String icmp = family.equals("ipv4") ? "icmpv4" : "icmpv6";
        if (!object(ip, path, "config", icmp)) {
            return null;
        }
        Integer protocol = null;
        JsonNode config = ip.get("config");
        if (config != null && object(config, path + "/config", "source-address", "destination-address", "protocol",
                "dscp", "hop-limit", "source-flow-label", "destination-flow-label")) {
            for (String leaf : List.of("source-address", "destination-address")) {
                if (config.has(leaf)) {
                    prefix(config.get(leaf), path + "/config/" + leaf, family);
                }
            }
            if (config.has("protocol")) {
                protocol = protocol(config.get("protocol"), path + "/config/protocol");
            }
            if (config.has("dscp")) {
                uint(config.get("dscp"), path + "/config/dscp", 63, true);
            }
            if (config.has("hop-limit")) {
                uint(config.get("hop-limit"), path + "/config/hop-limit", 255, true);
            }
            for (String leaf : List.of("source-flow-label", "destination-flow-label")) {
                if (config.has(leaf)) {
                    if (family.equals("ipv4")) {
                        problem("unknown-element", path + "/config/" + leaf, "flow labels are IPv6 fields");
                    } else {
                        uint(config.get(leaf), path + "/config/" + leaf, 1_048_575, true);
                    }
                }
            }
        }
        JsonNode icmpNode = ip.get(icmp);
        if (icmpNode != null && object(icmpNode, path + "/" + icmp, "config") && icmpNode.has("config")
                && object(icmpNode.get("config"), path + "/" + icmp + "/config", "type", "code")) {
            String module = "openconfig-" + icmp + "-types";
            boolean v4 = family.equals("ipv4");
            identity(icmpNode.get("config").get("type"), path + "/" + icmp + "/config/type", module,
                    v4 ? ICMPV4_TYPES : ICMPV6_TYPES, false);
            identity(icmpNode.get("config").get("code"), path + "/" + icmp + "/config/code", module,
                    v4 ? ICMPV4_CODES : ICMPV6_CODES, false);
        }
        return protocol;
    }

    private void transport(JsonNode transport, String path, Object protocol) {
        if (!object(transport, path, "config") || !transport.has("config")) {
            return;
        }
        JsonNode config = transport.get("config");
        String at = path + "/config";
        if (!object(config, at, "source-port", "destination-port", "detail-mode", "explicit-detail-match-mode",
                "explicit-tcp-flags", "builtin-detail")) {
            return;
        }
        boolean ports = false;
        for (String leaf : List.of("source-port", "destination-port")) {
            if (config.has(leaf)) {
                ports |= port(config.get(leaf), at + "/" + leaf);
            }
        }
        if (ports && !(Integer.valueOf(6).equals(protocol) || Integer.valueOf(17).equals(protocol))) {
            problem("invalid-value", at, "device: a port match needs protocol IP_TCP or IP_UDP");
        }
        String mode = enumeration(config.get("detail-mode"), at + "/detail-mode", Set.of("EXPLICIT", "BUILTIN"));
        // when "../detail-mode = 'EXPLICIT'" / 'BUILTIN'
        if (config.has("explicit-detail-match-mode") || config.has("explicit-tcp-flags")) {
            if (!"EXPLICIT".equals(mode)) {
                problem("invalid-value", at, "explicit flag matches need detail-mode EXPLICIT");
            }
            enumeration(config.get("explicit-detail-match-mode"), at + "/explicit-detail-match-mode", Set.of("ANY", "ALL"));
            JsonNode flags = config.get("explicit-tcp-flags");
            if (flags != null) {
                if (!flags.isArray()) {
                    problem("invalid-value", at + "/explicit-tcp-flags", "a leaf-list is a JSON array");
                } else {
                    flags.forEach(f -> identity(f, at + "/explicit-tcp-flags", "openconfig-packet-match-types",
                            TCP_FLAGS, true));
                }
            }
        }
        if (config.has("builtin-detail")) {
            if (!"BUILTIN".equals(mode)) {
                problem("invalid-value", at + "/builtin-detail", "builtin-detail needs detail-mode BUILTIN");
            }
            String detail = enumeration(config.get("builtin-detail"), at + "/builtin-detail",
                    Set.of("TCP_INITIAL", "TCP_ESTABLISHED", "FRAGMENT"));
            if (detail != null && detail.startsWith("TCP_") && !Integer.valueOf(6).equals(protocol)) {
                problem("invalid-value", at + "/builtin-detail", "device: " + detail + " needs protocol IP_TCP");
            }
        }
    }

    private void interfaces(JsonNode interfaces, String path) {
        Set<String> ids = new HashSet<>();
        for (JsonNode itf : list(interfaces, path, "interface")) {
            String id = string(itf.get("id"), path + "/interface/id", true);
            String at = path + "/interface[id='" + id + "']";
            if (!object(itf, at, "id", "config", "interface-ref", "ingress-acl-sets", "egress-acl-sets") || id == null) {
                continue;
            }
            if (!ids.add(id)) {
                problem("data-exists", at, "interface " + id + " listed twice");
            }
            JsonNode config = itf.get("config");
            if (config == null || !object(config, at + "/config", "id")
                    || !id.equals(string(config.get("id"), at + "/config/id", true))) {
                problem("invalid-value", at + "/config", "the key id must equal config/id");
            }
            JsonNode ref = itf.path("interface-ref").path("config");
            if (!ref.isObject() || !object(ref, at + "/interface-ref/config", "interface", "subinterface")
                    || !ref.has("interface")) {
                problem("missing-element", at + "/interface-ref/config/interface",
                        "device: ACLs are bound through interface-ref/config/interface");
            } else {
                String name = string(ref.get("interface"), at + "/interface-ref/config/interface", true);
                if (name != null && !deviceInterfaces.contains(name)) {
                    // leafref to /interfaces/interface/name
                    problem("invalid-value", at + "/interface-ref/config/interface", "no interface " + name
                            + " on this device");
                }
                if (ref.has("subinterface")) {
                    uint(ref.get("subinterface"), at + "/interface-ref/config/subinterface", 0xFFFF_FFFFL, true);
                }
            }
            for (String direction : List.of("ingress", "egress")) {
                String container = direction + "-acl-sets";
                if (itf.has(container)) {
                    bindings(itf.get(container), at + "/" + container, direction + "-acl-set");
                }
            }
        }
    }

    private void bindings(JsonNode container, String path, String listName) {
        Set<String> seen = new HashSet<>();
        for (JsonNode b : list(container, path, listName)) {
            String name = string(b.get("set-name"), path + "/" + listName + "/set-name", true);
            String type = identity(b.get("type"), path + "/" + listName + "/type", ACL, ACL_TYPES, true);
            String at = path + "/" + listName + "[set-name='" + name + "'][type='" + type + "']";
            if (!object(b, at, "set-name", "type", "config") || name == null || type == null) {
                continue;
            }
            JsonNode config = b.get("config");
            if (config == null || !object(config, at + "/config", "set-name", "type")
                    || !name.equals(string(config.get("set-name"), at + "/config/set-name", true))
                    || !type.equals(identity(config.get("type"), at + "/config/type", ACL, ACL_TYPES, true))) {
                problem("invalid-value", at + "/config", "the keys must equal config/set-name and config/type");
            }
            if (!seen.add(name + "|" + type)) {
                problem("data-exists", at, "ACL set bound twice");
            }
            if (!setKeys.contains(name + "|" + type)) {
                problem("invalid-value", at, "no ACL set " + name + " of type " + type);
            }
        }
    }

    // ---- types ----

    /** An object whose members are all among the allowed simple names; false (and a problem) if not. */
    private boolean object(JsonNode node, String path, String... allowed) {
        if (node == null || !node.isObject()) {
            problem("invalid-value", path, "expected a JSON object");
            return false;
        }
        Set<String> names = Set.of(allowed);
        boolean ok = true;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String member = it.next();
            if (!names.contains(member)) {
                problem("unknown-element", path + "/" + member, member.contains(":")
                        ? "a member in its parent's namespace takes the simple name (RFC 7951 4)"
                        : "unknown element " + member + (member.equals("state") ? " (config false)" : ""));
                ok = false;
            }
        }
        return ok;
    }

    /** The entries of a list: {@code {"name": [ ... ]}}. */
    private List<JsonNode> list(JsonNode container, String path, String name) {
        List<JsonNode> entries = new ArrayList<>();
        if (!object(container, path, name) || !container.has(name)) {
            return entries;
        }
        JsonNode array = container.get(name);
        if (!array.isArray()) {
            problem("invalid-value", path + "/" + name, "a list is a JSON array");
            return entries;
        }
        array.forEach(entries::add);
        return entries;
    }

    private String string(JsonNode node, String path, boolean mandatory) {
        if (node == null) {
            if (mandatory) {
                problem("missing-element", path, "missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            problem("invalid-value", path, "a string leaf takes a JSON string");
            return null;
        }
        return node.textValue();
    }

    /** uint8 to uint32: a JSON number (RFC 7951 6.1), in range. */
    private Long uint(JsonNode node, String path, long max, boolean mandatory) {
        if (node == null) {
            if (mandatory) {
                problem("missing-element", path, "missing");
            }
            return null;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0 || node.asLong() > max) {
            problem("invalid-value", path, "expected a JSON number from 0 to " + max + ", got " + node);
            return null;
        }
        return node.asLong();
    }

    /**
     * An identityref: {@code module:NAME}, or the simple {@code NAME} when the identity is
     * defined in the leaf's own module, which is openconfig-acl throughout (RFC 7951 6.8).
     * Answers the simple name.
     */
    private String identity(JsonNode node, String path, String module, Set<String> names, boolean mandatory) {
        String text = string(node, path, mandatory);
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        String prefix = colon < 0 ? null : text.substring(0, colon);
        String name = colon < 0 ? text : text.substring(colon + 1);
        if (prefix == null ? !module.equals(ACL) : !prefix.equals(module)) {
            problem("invalid-value", path, text + ": identities of " + module + " are written " + module + ":NAME here");
            return null;
        }
        if (!names.contains(name)) {
            problem("invalid-value", path, text + " is not an identity this leaf takes");
            return null;
        }
        return name;
    }

    private String enumeration(JsonNode node, String path, Set<String> values) {
        String text = string(node, path, false);
        if (text != null && !values.contains(text)) {
            problem("invalid-value", path, text + " is not one of " + values);
            return null;
        }
        return text;
    }

    /** ip-protocol-type: a number 0..254 or an IP_PROTOCOL identity; answers the number. */
    private Integer protocol(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            Long n = uint(node, path, 254, true);
            return n == null ? null : n.intValue();
        }
        String name = identity(node, path, "openconfig-packet-match-types", PROTOCOLS.keySet(), true);
        return name == null ? null : PROTOCOLS.get(name);
    }

    /** port-num-range: a number, {@code "low..high"} (device: low not above high) or {@code "ANY"}; true unless ANY. */
    private boolean port(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            uint(node, path, 65535, true);
            return true;
        }
        if (!node.isTextual()) {
            problem("invalid-value", path, "a port is a number, \"low..high\" or \"ANY\"");
            return false;
        }
        if (node.textValue().equals("ANY")) {
            return false;
        }
        Matcher m = PORT_RANGE.matcher(node.textValue());
        if (!m.matches() || Integer.parseInt(m.group(1)) > 65535 || Integer.parseInt(m.group(2)) > 65535) {
            // a number in a string is not a port-number: RFC 7951 keeps union members by JSON type
            problem("invalid-value", path, node + " is not a port range (low..high), and a single port is a number");
            return false;
        }
        if (Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
            problem("invalid-value", path, "device: empty port range " + node.textValue());
        }
        return true;
    }

    private void prefix(JsonNode node, String path, String family) {
        String text = string(node, path, true);
        if (text == null) {
            return;
        }
        boolean ok = family.equals("ipv4") ? IPV4_PREFIX.matcher(text).matches() : ipv6Prefix(text);
        if (!ok) {
            problem("invalid-value", path, text + " is not an " + family + "-prefix");
        }
    }

    /** Hex groups with at most one "::" (no dotted IPv4 tail: the type's pattern has none), then /0-128. */
    private static boolean ipv6Prefix(String text) {
        Matcher m = IPV6_PREFIX.matcher(text);
        if (!m.matches()) {
            return false;
        }
        String address = m.group(1);
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] halves = doubleColon >= 0
                ? new String[] {address.substring(0, doubleColon), address.substring(doubleColon + 2)}
                : new String[] {address};
        int groups = 0;
        for (String half : halves) {
            if (half.isEmpty()) {
                continue;
            }
            for (String group : half.split(":", -1)) {
                if (group.isEmpty() || group.length() > 4) {
                    return false;
                }
                groups++;
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private void problem(String tag, String path, String message) {
        problems.add(new Problem(tag, path, message));
    }

    private static Set<String> names(String text) {
        return Set.of(text.trim().split("\\s+"));
    }
}
