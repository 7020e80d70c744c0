package io.ringfence.target.openconfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ICMP and ICMPv6 types and codes that OpenConfig names: {@code openconfig-icmpv4-types} and
 * {@code openconfig-icmpv6-types} (0.1.0), used by the {@code icmpv4} / {@code icmpv6} match of
 * {@code openconfig-packet-match} 2.1.0 and later. The model matches identities, not numbers, so a
 * type or code without an identity here cannot be rendered (the rule is refused, never widened).
 * Names are the model's, misspellings included ({@code RENUNBERING}); numbers are IANA's.
 */
final class IcmpIdentities {

    static final IcmpIdentities ICMPV4 = new IcmpIdentities(1, "openconfig-icmpv4-types", Map.of(
            8, 0, 13, 14, 42, 43), List.of(
            type(0, "ECHO_REPLY", "ECHO_REPLY_NONE"),
            type(3, "DST_UNREACHABLE", "DST_UNREACHABLE_NET", "DST_UNREACHABLE_HOST", "DST_UNREACHABLE_PROTOCOL",
                    "DST_UNREACHABLE_PORT", "DST_UNREACHABLE_CANNOT_FRAGMENT", "DST_UNREACHABLE_SRC_ROUTE_FAILED",
                    "DST_UNREACHABLE_DST_NET_UNKNOWN", "DST_UNREACHABLE_DST_HOST_UNKNOWN",
                    "DST_UNREACHABLE_SRC_HOST_ISOLATED", "DST_UNREACHABLE_DST_NET_ADMIN_PROHIBITED",
                    "DST_UNREACHABLE_DST_HOST_ADMIN_PROHIBITED", "DST_UNREACHABLE_NET_UNREACHABLE_FOR_TOS",
                    "DST_UNREACHABLE_HOST_UNREACHABLE_FOR_TOS", "DST_UNREACHABLE_ADMIN_PROHIBITED",
                    "DST_UNREACHABLE_HOST_PRECEDENCE_VIOLATION", "DST_UNREACHABLE_PRECEDENCE_CUTOFF"),
            type(5, "REDIRECT", "REDIRECT_NETWORK", "REDIRECT_HOST", "REDIRECT_TOS_NETWORK", "REDIRECT_TOS_HOST"),
            type(8, "ECHO", "ECHO_NO_CODE"),
            new Type(9, "ROUTER_ADVERTISEMENT", Map.of(0, "ROUTER_ADVERTISEMENT_NORMAL",
                    16, "ROUTER_ADVERTISEMENT_DOES_NOT_ROUTE_COMMON")),
            type(10, "ROUTER_SOLICITATION", "ROUTER_SELECTION_NO_CODE"),
            type(11, "TIME_EXCEEDED", "TIME_EXCEEDED_IN_TRANSIT", "TIME_EXCEEDED_FRAGMENT_REASSEMBLY_IN_TRANSIT"),
            type(12, "PARAM_PROBLEM", "PARAM_PROBLEM_POINTER_INDICATES_ERR", "PARAM_PROBLEM_MISSING_REQ_OPTION",
                    "PARAM_PROBLEM_BAD_LENGTH"),
            type(13, "TIMESTAMP", "TIMESTAMP_NO_CODE"),
            type(14, "TIMESTAMP_REPLY", "TIMESTAMP_REPLY_NO_CODE"),
            type(30, "TRACEROUTE"),
            type(40, "PHOTURIS", "PHOTURIS_BAD_SPI", "PHOTURIS_AUTH_FAILED", "PHOTURIS_DECOMPRESS_FAILED",
                    "PHOTURIS_DECRYPTION_FAILED", "PHOTURIS_NEED_AUTHENTICATION", "PHOTURIS_NEED_AUTHORIZATION"),
            type(42, "EXT_ECHO_REQUEST", "EXT_ECHO_REQUEST_NO_ERROR"),
            type(43, "EXT_ECHO_REPLY", "EXT_ECHO_REPLY_NO_ERROR", "EXT_ECHO_REPLY_MALFORMED_QUERY",
                    "EXT_ECHO_REPLY_NO_SUCH_INTF", "EXT_ECHO_REPLY_NO_SUB_TABLE_ENTRY",
                    "EXT_ECHO_REPLY_MULTIPLE_INTF_SATISFY_QUERY")));

    static final IcmpIdentities ICMPV6 = new IcmpIdentities(58, "openconfig-icmpv6-types", Map.of(
            128, 129, 139, 140, 160, 161), List.of(
            type(1, "DESTINATION_UNREACHABLE", "DST_UNREACHABLE_NO_ROUTE_TO_DST",
                    "DST_UNREACHABLE_DST_ADMIN_PROHIBITED", "DST_UNREACHABLE_BEYOND_SCOPE_OF_SRC",
                    "DST_UNREACHABLE_ADDR", "DST_UNREACHABLE_PORT", "DST_UNREACHABLE_SRC_ADDR_FAILED_POLICY",
                    "DST_UNREACHABLE_REJECT_ROUTE_TO_DST", "DST_UNREACHABLE_ERR_IN_SRC_ROUTING_HDR",
                    "DST_UNREACHABLE_HDRS_TOO_LONG"),
            type(2, "PACKET_TOO_BIG", "PACKET_TOO_BIG_NO_CODE"),
            type(3, "TIME_EXCEEDED", "TIME_EXCEEDED_HOP_LIMIT", "TIME_EXCEEDED_FRAGMENT_REASSEMBLY"),
            type(4, "PARAMETER_PROBLEM", "PARAM_PROBLEM_ERR_HDR_FIELD", "PARAM_PROBLEM_UNRECOGNIZED_NET_HDR_TYPE",
                    "PARAM_PROBLEM_UNRECOGNIZED_IPV6_OPT", "PARAM_PROBLEM_INCOMPLETE_HDR_CHAIN",
                    "PARAM_PROBLEM_SR_UPPER_HDR_ERR", "PARAM_PROBLEM_UNRECOGNIZED_NEXT_HDR_TYPE",
                    "PARAM_PROBLEM_EXT_HDR_TOO_BIG", "PARAM_PROBLEM_EXT_HDR_CHAIN_TOO_LONG",
                    "PARAM_PROBLEM_TOO_MANY_EXT_HDRS", "PARAM_PROBLEM_TOO_MANY_OPTS", "PARAM_PROBLEM_OPT_TOO_BIG"),
            type(128, "ECHO_REQUEST", "ECHO_REQUEST_NO_CODE"),
            type(129, "ECHO_REPLY", "ECHO_REPLY_NO_CODE"),
            type(130, "MULTICAST_LISTENER_QUERY", "MULTICAST_LISTENER_QUERY_NO_CODE"),
            type(131, "MULTICAST_LISTENER_REPORT", "MULTICAST_LISTENER_REPORT_NO_CODE"),
            type(132, "MULTICAST_LISTENER_DONE", "MULTICAST_LISTENER_DONE_NO_CODE"),
            type(133, "ROUTER_SOLICITATION", "ROUTER_SOLICITATION_NO_CODE"),
            type(134, "ROUTER_ADVERTISEMENT", "ROUTER_ADVERTISEMENT_NO_CODE"),
            type(135, "NEIGHBOR_SOLICITATION", "NEIGHBOR_SOLICITATION_NO_CODE"),
            type(136, "NEIGHBOR_ADVERTISEMENT", "NEIGHBOR_ADVERTISEMENT_NO_CODE"),
            type(137, "REDIRECT", "REDIRECT_NO_CODE"),
            new Type(138, "RENUNBERING", Map.of(0, "RENUMBERING_COMMAND", 1, "RENUNBERING_RESULT",
                    255, "RENUNBERING_SEQ_NUM_RESET")),
            type(139, "NODE_INFORMATION_QUERY", "NODE_INFORMATION_QUERY_IPV6_ADDR", "NODE_INFORMATION_QUERY_NAME",
                    "NODE_INFORMATION_QUERY_IPV4_ADDR"),
            type(140, "NODE_INFORMATION_RESPONSE", "NODE_INFORMATION_RESPONSE_SUCCESS",
                    "NODE_INFORMATION_RESPONSE_REFUSED", "NODE_INFORMATION_RESPONSE_UNKNOWN"),
            type(141, "INVERSE_NEIGHBOR_SOLICITATION", "INVERSE_NEIGHBOR_SOLICITATION_NO_CODE"),
            type(142, "INVERSE_NEIGHBOR_ADVERTISEMENT", "INVERSE_NEIGHBOR_ADVERTISEMENT_NO_CODE"),
            type(143, "VERSION2_MULTICAST_LISTENER"),
            type(144, "HOME_AGENT_ADDRESS_DISCOVERY_REQUEST", "HOME_AGENT_ADDRESS_DISCOVERY_REQUEST_NO_CODE"),
            type(145, "HOME_AGENT_ADDRESS_DISCOVERY_REPLY", "HOME_AGENT_ADDRESS_DISCOVERY_REPLY_NO_CODE"),
            // the model's description says 147 for both; IANA: 146 solicitation, 147 advertisement
            type(146, "MOBILE_PREFIX_SOLICITATION", "MOBILE_PREFIX_SOLICITATION_NO_CODE"),
            type(147, "MOBILE_PREFIX_ADVERTISEMENT", "MOBILE_PREFIX_ADVERTISEMENT_NO_CODE"),
            type(148, "CERTIFICATION_PATH_SOLICITATION"),
            type(149, "CERTIFICATION_PATH_ADVERTISEMENT"),
            type(151, "MULTICAST_ROUTER_ADVERTISEMENT"),
            type(152, "MULTICAST_ROUTER_SOLICITATION"),
            type(153, "MULTICAST_ROUTER_TERMINATION"),
            type(154, "FMIPV6"),
            type(155, "RPL_CONTROL"),
            type(156, "ILNPV6_LOCATOR_UPDATE"),
            type(157, "DUPLICATE_ADDRESS_REQUEST", "DUPLICATE_ADDRESS_REQUEST_DAR",
                    "DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR64", "DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR128",
                    "DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR192", "DUPLICATE_ADDRESS_REQUEST_EDAR_ROVR256"),
            type(158, "DUPLICATE_ADDRESS_CONFIRMATION", "DUPLICATE_ADDRESS_REPLY_DAC",
                    "DUPLICATE_ADDRESS_REPLY_EDAC_ROVR64", "DUPLICATE_ADDRESS_REPLY_EDAC_ROVR128",
                    "DUPLICATE_ADDRESS_REPLY_EDAC_ROVR192", "DUPLICATE_ADDRESS_REPLY_EDAC_ROVR256"),
            type(159, "MPL_CONTROL"),
            type(160, "EXT_ECHO_REQUEST", "EXT_ECHO_REQUEST_NO_ERROR"),
            type(161, "EXT_ECHO_REPLY", "EXT_ECHO_REPLY_NO_ERROR", "EXT_ECHO_REPLY_MALFORMED_QUERY",
                    "EXT_ECHO_REPLY_NO_SUCH_INTERFACE", "EXT_ECHO_REPLY_NO_SUCH_TABLE_ENTRY",
                    "EXT_ECHO_REPLY_MULTIPLE_INTF_SATISFY_QUERY")));

    /** ICMP's IP protocol number: 1, or 58 for ICMPv6. */
    final int protocol;
    /** The module that defines the identities. */
    final String module;
    /** Query type to its reply's type: what a stateless ACL must let back for an allowed query. */
    private final Map<Integer, Integer> replies;
    private final Map<Integer, Type> types = new HashMap<>();

    private IcmpIdentities(int protocol, String module, Map<Integer, Integer> replies, List<Type> types) {
        this.protocol = protocol;
        this.module = module;
        this.replies = replies;
        types.forEach(t -> this.types.put(t.number, t));
    }

    /** The module-qualified identity of a type, or null if the model has none. */
    String type(int type) {
        Type t = types.get(type);
        return t == null ? null : module + ":" + t.name;
    }

    /** The module-qualified identity of a type's code, or null if the model has none. */
    String code(int type, int code) {
        Type t = types.get(type);
        String name = t == null ? null : t.codes.get(code);
        return name == null ? null : module + ":" + name;
    }

    /** The type of the reply to a query type, or null when the type is not a query. */
    Integer replyType(int type) {
        return replies.get(type);
    }

    private record Type(int number, String name, Map<Integer, String> codes) {
    }

    /** A type whose codes are numbered from 0 in the order given. */
    private static Type type(int number, String name, String... codes) {
        Map<Integer, String> byNumber = new HashMap<>();
        for (int i = 0; i < codes.length; i++) {
            byNumber.put(i, codes[i]);
        }
        return new Type(number, name, byNumber);
    }
}
