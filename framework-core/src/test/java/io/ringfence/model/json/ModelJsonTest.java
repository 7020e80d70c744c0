package io.ringfence.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Criterion;
import io.ringfence.model.Criterion.Attribute;
import io.ringfence.model.Criterion.Operator;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Direction;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.MacAddress;
import io.ringfence.model.Policy;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.Rule;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceEntry;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpPrefix;
import io.ringfence.store.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelJsonTest {

    private final ObjectMapper json = ModelJson.mapper();

    private static final Criterion CRITERIA = new Criterion.Any(List.of(
            new Criterion.Condition(Attribute.TAG, Operator.EQUALS, "app:web"),
            new Criterion.All(List.of(
                    new Criterion.Condition(Attribute.NAME, Operator.STARTS_WITH, "db-"),
                    new Criterion.Condition(Attribute.OS, Operator.CONTAINS, "Linux"),
                    new Criterion.Condition(Attribute.SEGMENT, Operator.NOT_EQUALS, "dmz")))));

    private static final Rule RULE = new Rule("r1", "web to db", 10, List.of("web"), false, List.of("db"), true,
            List.of("mysql"), List.of("db"), Direction.IN, Action.REJECT, true, true, true, "ticket-42", 7);

    static Stream<Object> values() {
        return Stream.of(
                new Host("h1", "esx-01", IpPrefix.parse("192.0.2.10"), "rack 4", 3),
                new Host("h2", "esx-02", null, null, 0),
                new Vnic("n1", MacAddress.parse("00:50:56:00:00:01"),
                        List.of(IpPrefix.parse("10.0.0.1"), IpPrefix.parse("2001:db8::1")), "web-seg"),
                new Vm("vm1", "web-01", "h1", "Ubuntu 22.04", List.of("app:web", "env:prod"), List.of(
                        new Vnic("n1", MacAddress.parse("00:50:56:00:00:01"), List.of(IpPrefix.parse("10.0.0.1")), "a"),
                        new Vnic("n2", MacAddress.parse("00:50:56:00:00:02"), List.of(), null)), 5),
                new Vm("vm2", "bare", "h1", null, List.of(), List.of(), 1),
                MacAddress.parse("02:00:00:00:00:01"),
                PortRange.parse("8000-8080"),
                new ServiceEntry(Protocol.TCP, List.of(PortRange.parse("443"), PortRange.parse("8000-8080")),
                        List.of(PortRange.parse("1024-65535")), null, null),
                new ServiceEntry(Protocol.ICMP, List.of(), List.of(), 8, 0),
                new ServiceEntry(Protocol.ANY, null, null, null, null),
                new Service("s1", "web", "web ports", List.of(
                        new ServiceEntry(Protocol.TCP, List.of(PortRange.of(80), PortRange.of(443)), List.of(), null, null),
                        new ServiceEntry(Protocol.ICMPV6, List.of(), List.of(), 128, null)), 9),
                new Criterion.Condition(Attribute.TAG, Operator.EQUALS, "app:web"),
                CRITERIA,
                new Group("g1", "web", "all web", CRITERIA, List.of("vm1"), List.of(IpPrefix.parse("10.0.0.0/24")),
                        List.of("g0"), List.of("vm2"), List.of("gx"), List.of(IpPrefix.parse("10.0.0.128/25")), 4),
                new Group("g2", "empty", null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 1),
                RULE,
                new Rule("r2", null, 20, List.of(), false, List.of(), false, List.of(), List.of(), Direction.OUT,
                        Action.ALLOW, false, false, false, null, 0),
                new Policy("p1", "app", "the app policy", Category.APPLICATION, 10, List.of(RULE), 8),
                new Policy("p2", "empty", null, Category.EMERGENCY, 0, List.of(), 1),
                new DefaultRule(Action.DROP, true, 12),
                DefaultRule.INITIAL,
                new AuditRecord(3, Instant.parse("2024-05-01T10:15:30.123Z"), "alice", AuditRecord.Operation.UPDATE,
                        "host", "h1", "{\"a\":1}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void roundTrip(Object value) throws Exception {
        String text = json.writeValueAsString(value);
        Object back = json.readValue(text, value.getClass());
        assertThat(back).isEqualTo(value);
        // and the text is stable
        assertThat(json.writeValueAsString(back)).isEqualTo(text);
    }

    @Test
    void criterionRoundTripsThroughItsInterface() throws Exception {
        String text = json.writeValueAsString(CRITERIA);
        assertThat(json.readValue(text, Criterion.class)).isEqualTo(CRITERIA);
        assertThat(text).doesNotContain("@type").doesNotContain("\"type\"");
    }

    @Test
    void writesTheDocumentedShapes() throws Exception {
        JsonNode host = json.valueToTree(new Host("h2", "esx-02", null, null, 0));
        assertThat(host.has("address")).as("nulls are left out").isFalse();
        assertThat(host.get("name").asText()).isEqualTo("esx-02");

        JsonNode vnic = json.valueToTree(new Vnic("n1", MacAddress.parse("00-50-56-00-00-0A"),
                List.of(IpPrefix.parse("2001:0db8::0001")), "s"));
        assertThat(vnic.get("mac").asText()).isEqualTo("00:50:56:00:00:0a");
        assertThat(vnic.get("addresses").get(0).asText()).isEqualTo("2001:db8::1");

        JsonNode entry = json.valueToTree(new ServiceEntry(Protocol.TCP, List.of(PortRange.of(443)), List.of(), null, null));
        assertThat(entry.toString()).isEqualTo("{\"protocol\":\"TCP\",\"destinationPorts\":[\"443\"]}");

        JsonNode criteria = json.valueToTree(CRITERIA);
        assertThat(criteria.get("any").get(0).toString())
                .isEqualTo("{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"app:web\"}");
        assertThat(criteria.get("any").get(1).has("all")).isTrue();

        JsonNode rule = json.valueToTree(RULE);
        assertThat(rule.get("direction").asText()).isEqualTo("IN");
        assertThat(rule.get("sourcesNegated").asBoolean()).isFalse();
        assertThat(rule.get("destinationsNegated").asBoolean()).isTrue();
        assertThat(rule.get("staged").asBoolean()).isTrue();

        JsonNode audit = json.valueToTree(new AuditRecord(1, Instant.parse("2024-05-01T10:15:30.123Z"), "a",
                AuditRecord.Operation.CREATE, "vm", "v", null, "{}"));
        assertThat(audit.get("time").asText()).isEqualTo("2024-05-01T10:15:30.123Z");
    }

    @Test
    void readsMinimalObjectsWithDefaults() throws Exception {
        Rule rule = json.readValue("{\"action\":\"ALLOW\"}", Rule.class);
        assertThat(rule.direction()).isEqualTo(Direction.IN_OUT);
        assertThat(rule.sources()).isEmpty();
        assertThat(rule.services()).isEmpty();
        assertThat(rule.id()).isNull();
        assertThat(rule.sequence()).isNull();
        assertThat(rule.revision()).isZero();
        assertThat(rule.staged()).as("rules stored before staging existed read as enforced").isFalse();
        assertThat(rule.disabled()).isFalse();

        Vm vm = json.readValue("{\"name\":\"web\",\"hostId\":\"h1\"}", Vm.class);
        assertThat(vm.tags()).isEmpty();
        assertThat(vm.vnics()).isEmpty();

        Group g = json.readValue("{\"name\":\"g\",\"vms\":null}", Group.class);
        assertThat(g.vms()).isEmpty();
        assertThat(g.criteria()).isNull();
    }

    // ---- criteria: the shape says which kind it is

    @Test
    void deducesCondition() throws Exception {
        Criterion c = json.readValue("{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"app:web\"}",
                Criterion.class);
        assertThat(c).isEqualTo(new Criterion.Condition(Attribute.TAG, Operator.EQUALS, "app:web"));
    }

    @Test
    void deducesAllAndAny() throws Exception {
        Criterion c = json.readValue("""
                {"any": [
                   {"all": [
                      {"attribute": "NAME", "operator": "STARTS_WITH", "value": "db-"},
                      {"attribute": "SEGMENT", "operator": "EQUALS", "value": "back"}]},
                   {"attribute": "TAG", "operator": "EQUALS", "value": "app:db"}]}
                """, Criterion.class);
        assertThat(c).isInstanceOf(Criterion.Any.class);
        Criterion.Any any = (Criterion.Any) c;
        assertThat(any.any()).hasSize(2);
        assertThat(any.any().get(0)).isInstanceOf(Criterion.All.class);
        assertThat(((Criterion.All) any.any().get(0)).all()).containsExactly(
                new Criterion.Condition(Attribute.NAME, Operator.STARTS_WITH, "db-"),
                new Criterion.Condition(Attribute.SEGMENT, Operator.EQUALS, "back"));
        assertThat(any.any().get(1)).isEqualTo(new Criterion.Condition(Attribute.TAG, Operator.EQUALS, "app:db"));

        assertThat(json.readValue("{\"all\":[]}", Criterion.class)).isEqualTo(new Criterion.All(List.of()));
    }

    @Test
    void deducesCriteriaInsideAGroup() throws Exception {
        Group g = json.readValue("{\"name\":\"g\",\"criteria\":{\"all\":[{\"attribute\":\"os\",\"operator\":\"contains\","
                + "\"value\":\"Windows\"}]}}", Group.class);
        assertThat(g.criteria()).isEqualTo(new Criterion.All(List.of(
                new Criterion.Condition(Attribute.OS, Operator.CONTAINS, "Windows"))));
    }

    @Test
    void rejectsCriteriaOfNoKnownShape() {
        assertThatThrownBy(() -> json.readValue("{\"attribute\":\"TAG\",\"all\":[]}", Criterion.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"all\":[],\"any\":[]}", Criterion.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"color\":\"red\"}", Criterion.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"attribute\":\"COLOR\",\"operator\":\"EQUALS\",\"value\":\"x\"}",
                Criterion.class)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"attribute\":\"TAG\",\"operator\":\"EQUALS\",\"value\":\"x\","
                + "\"extra\":1}", Criterion.class)).isInstanceOf(JsonProcessingException.class);
    }

    // ---- strictness

    @Test
    void rejectsUnknownFields() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"h\",\"colour\":\"red\"}", Host.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("colour");
        // a misspelt field in a rule must not silently become a default
        assertThatThrownBy(() -> json.readValue("{\"action\":\"DROP\",\"sourceNegated\":true}", Rule.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("sourceNegated");
        assertThatThrownBy(() -> json.readValue("{\"protocol\":\"TCP\",\"ports\":[\"80\"]}", ServiceEntry.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> json.readValue("{\"name\":\"vm\",\"vnics\":[{\"mac\":\"00:50:56:00:00:01\","
                + "\"address\":[\"10.0.0.1\"]}]}", Vm.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"a\",\"name\":\"b\"}", Host.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> json.readValue("{\"action\":\"ALLOW\",\"action\":\"DROP\"}", Rule.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readTree("{\"a\":1,\"a\":2}")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void rejectsTrailingTokens() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"a\"} {\"name\":\"b\"}", Host.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("\"443\" 1", PortRange.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void boundsNestingDepth() {
        String deep = "[".repeat(200) + "]".repeat(200);
        assertThatThrownBy(() -> json.readTree(deep)).isInstanceOf(JsonProcessingException.class);
        String ok = "[".repeat(20) + "]".repeat(20);
        assertThat(catchNothing(() -> json.readTree(ok))).isTrue();
    }

    private static boolean catchNothing(ThrowingRunnable r) {
        try {
            r.run();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void enumsAreCaseInsensitive() throws Exception {
        Rule rule = json.readValue("{\"action\":\"allow\",\"direction\":\"In_Out\"}", Rule.class);
        assertThat(rule.action()).isEqualTo(Action.ALLOW);
        assertThat(rule.direction()).isEqualTo(Direction.IN_OUT);
        assertThat(json.readValue("{\"name\":\"p\",\"category\":\"application\"}", Policy.class).category())
                .isEqualTo(Category.APPLICATION);
        assertThat(json.readValue("{\"protocol\":\"icmpv6\",\"icmpType\":128}", ServiceEntry.class).protocol())
                .isEqualTo(Protocol.ICMPV6);
        assertThat(json.readValue("{\"attribute\":\"segment\",\"operator\":\"ends_with\",\"value\":\"x\"}",
                Criterion.class)).isEqualTo(new Criterion.Condition(Attribute.SEGMENT, Operator.ENDS_WITH, "x"));
        assertThat(json.readValue("{\"action\":\"Drop\",\"logged\":true,\"revision\":0}", DefaultRule.class).action())
                .isEqualTo(Action.DROP);
        // written in upper case
        assertThat(json.writeValueAsString(Category.APPLICATION)).isEqualTo("\"APPLICATION\"");
        assertThatThrownBy(() -> json.readValue("{\"action\":\"permit\"}", Rule.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void nestedValuesAreValidatedWhileReading() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"h\",\"address\":\"10.0.0.1/8\"}", Host.class))
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> json.readValue("{\"protocol\":\"TCP\",\"destinationPorts\":[\"80-70\"]}",
                ServiceEntry.class)).hasMessageContaining("reversed");
        assertThatThrownBy(() -> json.readValue("{\"mac\":\"00:50:56\"}", Vnic.class)).hasMessageContaining("MAC");
    }

    @Test
    void sharedMapperAndNewMapperAgree() throws Exception {
        ObjectMapper other = ModelJson.create();
        assertThat(other).isNotSameAs(ModelJson.mapper());
        assertThat(other.writeValueAsString(RULE)).isEqualTo(json.writeValueAsString(RULE));
        assertThatThrownBy(() -> other.readValue("{\"name\":\"a\",\"x\":1}", Host.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }
}
