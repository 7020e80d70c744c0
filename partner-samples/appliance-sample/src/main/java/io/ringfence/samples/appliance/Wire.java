package io.ringfence.samples.appliance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the appliance protocol, as this appliance reads and writes it. Unknown fields are
 * ignored on input, so that a newer manager may add some.
 */
final class Wire {

    private Wire() {
    }

    /** POST /api/v1/enforcement/appliances */
    /** What the registration answers that the appliance keeps: its session, sent back with every request. */
    record Registered(String id, String session) {
    }

    record Registration(String id, String description, List<String> hosts, boolean deltas) {
    }

    /** GET .../{id}/updates: a full state or a delta. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Update(long sequence, boolean full, List<RuleSet> ruleSets, List<String> removedVnics,
                  List<AddressGroup> addressGroups, List<String> releasedGroups) {
    }

    /** One vNIC's rules, each direction in order, then the default rule. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RuleSet(String vnicId, String vmId, String hostId, String mac, List<String> addresses, long generation,
                   List<Rule> inbound, List<Rule> outbound, String defaultAction, boolean defaultLogged) {
    }

    /** {@code remoteGroup} null: any address at the other end. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rule(String ruleId, String policyId, String action, boolean logged, boolean staged, String remoteGroup,
                boolean remoteNegated, List<Service> services) {
    }

    /** {@code protocol} -1: any; port ranges are [from, to] pairs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Service(int protocol, List<int[]> destinationPorts, List<int[]> sourcePorts, Integer icmpType,
                   Integer icmpCode) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AddressGroup(String id, List<String> prefixes) {
    }

    /** POST .../{id}/acknowledgements: realized generations, or an error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Acknowledgement(long sequence, Map<String, Long> realized, Error error) {
    }

    record Error(String code, String message, boolean retryable) {
    }

    /** An RFC 9457 problem document, as the manager answers errors. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(String type, int status, String detail) {
    }
}
