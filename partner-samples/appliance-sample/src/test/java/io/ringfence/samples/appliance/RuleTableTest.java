package io.ringfence.samples.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deciding packets against rule sets as the manager sends them (read from JSON, as on the wire):
 * first match wins, remote groups and their negation, services, the default rule, both
 * directions, deltas and full states, and refusal of what cannot be enforced.
 *
 * <p>web (10.0.0.1) and db (10.0.0.2) are enforced here; 10.9.9.9 is elsewhere.
 */
class RuleTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** web may reach db on TCP 5432; db pings are rejected; db accepts 5432 from web only (not from the negated group). */
    private static final String FULL = """
            {"sequence": 1, "full": true,
             "ruleSets": [
               {"vnicId": "web-0", "vmId": "web", "hostId": "h1", "mac": "02:00:00:00:00:01", "addresses": ["10.0.0.1/32"],
                "generation": 3, "inbound": [],
                "outbound": [
                  {"ruleId": "audit", "policyId": "p", "action": "DROP", "logged": false, "staged": true,
                   "remoteGroup": null, "remoteNegated": false, "services": []},
                  {"ruleId": "web-to-db", "policyId": "p", "action": "ALLOW", "logged": false, "staged": false,
                   "remoteGroup": "db", "remoteNegated": false,
                   "services": [{"protocol": 6, "destinationPorts": [[5432, 5432]], "sourcePorts": [], "icmpType": null, "icmpCode": null}]},
                  {"ruleId": "no-ping", "policyId": "p", "action": "REJECT", "logged": false, "staged": false,
                   "remoteGroup": "db", "remoteNegated": false,
                   "services": [{"protocol": 1, "destinationPorts": [], "sourcePorts": [], "icmpType": 8, "icmpCode": null}]}],
                "defaultAction": "DROP", "defaultLogged": true},
               {"vnicId": "db-0", "vmId": "db", "hostId": "h1", "mac": "02:00:00:00:00:02", "addresses": ["10.0.0.2/32"],
                "generation": 5,
                "inbound": [
                  {"ruleId": "not-web", "policyId": "p", "action": "DROP", "logged": false, "staged": false,
                   "remoteGroup": "web", "remoteNegated": true, "services": []},
                  {"ruleId": "web-to-db", "policyId": "p", "action": "ALLOW", "logged": false, "staged": false,
                   "remoteGroup": "web", "remoteNegated": false,
                   "services": [{"protocol": 6, "destinationPorts": [[5432, 5432]], "sourcePorts": [], "icmpType": null, "icmpCode": null}]}],
                "outbound": [], "defaultAction": "DROP", "defaultLogged": true}],
             "removedVnics": [],
             "addressGroups": [{"id": "db", "prefixes": ["10.0.0.2/32"]}, {"id": "web", "prefixes": ["10.0.0.0/31"]}],
             "releasedGroups": []}
            """;

    private final RuleTable table = new RuleTable();

    @Test
    void firstMatchWinsInBothDirections() throws Exception {
        assertThat(table.apply(update(FULL))).isEqualTo(Map.of("web-0", 3L, "db-0", 5L));

        assertThat(decide("tcp 10.0.0.1 40000 10.0.0.2 5432")).isEqualTo("ALLOW web-to-db on db-0 IN");
        assertThat(decide("tcp 10.0.0.1 40000 10.0.0.2 22")).isEqualTo("DROP default on web-0 OUT");
        assertThat(decide("icmp 10.0.0.1 8 10.0.0.2 0")).isEqualTo("REJECT no-ping on web-0 OUT");
        // the staged DROP decided nothing; from elsewhere, db's negated group drops first
        assertThat(decide("tcp 10.9.9.9 40000 10.0.0.2 5432")).isEqualTo("DROP not-web on db-0 IN");
        assertThat(decide("tcp 10.9.9.9 40000 10.9.9.8 5432")).isEqualTo("ALLOW - not enforced here");
    }

    @Test
    void aDeltaChangesOnlyWhatItCarries() throws Exception {
        table.apply(update(FULL));
        String delta = """
                {"sequence": 2, "full": false,
                 "ruleSets": [{"vnicId": "db-0", "vmId": "db", "hostId": "h1", "mac": null, "addresses": ["10.0.0.2/32"],
                   "generation": 6, "inbound": [], "outbound": [], "defaultAction": "ALLOW", "defaultLogged": false}],
                 "removedVnics": ["web-0"], "addressGroups": [], "releasedGroups": ["web"]}
                """;

        assertThat(table.apply(update(delta))).isEqualTo(Map.of("db-0", 6L));

        assertThat(table.size()).isEqualTo(1);
        assertThat(decide("tcp 10.0.0.1 40000 10.0.0.2 22")).isEqualTo("ALLOW default on db-0 IN");
    }

    @Test
    void aFullStateReplacesEverything() throws Exception {
        table.apply(update(FULL));
        table.apply(update("""
                {"sequence": 2, "full": true, "ruleSets": [], "removedVnics": [], "addressGroups": [], "releasedGroups": []}
                """));

        assertThat(table.size()).isZero();
        assertThat(decide("tcp 10.0.0.1 40000 10.0.0.2 22")).isEqualTo("ALLOW - not enforced here");
    }

    @Test
    void anUpdateThatCannotBeEnforcedChangesNothing() throws Exception {
        table.apply(update(FULL));
        String bad = """
                {"sequence": 2, "full": false,
                 "ruleSets": [{"vnicId": "db-0", "vmId": "db", "hostId": "h1", "mac": null, "addresses": ["10.0.0.2/32"],
                   "generation": 6, "outbound": [], "defaultAction": "DROP", "defaultLogged": false,
                   "inbound": [{"ruleId": "r", "policyId": "p", "action": "ALLOW", "logged": false, "staged": false,
                                "remoteGroup": "never-sent", "remoteNegated": false, "services": []}]}],
                 "removedVnics": [], "addressGroups": [], "releasedGroups": []}
                """;

        assertThatThrownBy(() -> table.apply(update(bad))).isInstanceOf(RuleTable.UnsupportedUpdate.class)
                .hasMessageContaining("never-sent");
        assertThat(decide("tcp 10.0.0.1 40000 10.0.0.2 5432")).isEqualTo("ALLOW web-to-db on db-0 IN");
    }

    @Test
    void refusedUpdatesAreAcknowledgedWithAnError() {
        ApplianceMain appliance = new ApplianceMain(null, null, null, System.err);
        Wire.Acknowledgement ack = appliance.apply(new Wire.Update(4, true, List.of(new Wire.RuleSet("n", "vm", "h1",
                null, List.of("10.0.0.7/32"), 1, List.of(), List.of(), "LOG", false)), List.of(), List.of(), List.of()));

        assertThat(ack.sequence()).isEqualTo(4);
        assertThat(ack.realized()).isEmpty();
        assertThat(ack.error().code()).isEqualTo("unsupported-rule");
    }

    @Test
    void prefixesMatchByTheirLength() {
        assertThat(Prefix.parse("10.0.0.0/31").contains(Prefix.address("10.0.0.1"))).isTrue();
        assertThat(Prefix.parse("10.0.0.0/31").contains(Prefix.address("10.0.0.2"))).isFalse();
        assertThat(Prefix.parse("2001:db8::/33").contains(Prefix.address("2001:db8:7fff::1"))).isTrue();
        assertThat(Prefix.parse("2001:db8::/33").contains(Prefix.address("2001:db8:8000::1"))).isFalse();
        assertThat(Prefix.parse("0.0.0.0/0").contains(Prefix.address("2001:db8::1"))).isFalse();
        assertThatThrownBy(() -> Prefix.address("example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    private String decide(String packet) {
        return table.decide(Packet.parse(packet)).toString();
    }

    private static Wire.Update update(String json) throws Exception {
        return JSON.readValue(json, Wire.Update.class);
    }
}
