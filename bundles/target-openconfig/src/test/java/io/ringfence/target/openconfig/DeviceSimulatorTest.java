package io.ringfence.target.openconfig;

import static io.ringfence.target.openconfig.Fixtures.PASSWORD;
import static io.ringfence.target.openconfig.Fixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.target.openconfig.AclModelValidator.Problem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The simulator is the tests' oracle for what a device takes, so it must refuse what a device
 * refuses: each case breaks one rule of the model (or of RFC 7951 or RFC 8040) in the golden
 * document, or in the request around it.
 */
class DeviceSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTRY = "/openconfig-acl:acl/acl-sets/acl-set/0/acl-entries/acl-entry/";

    @Test
    void identitiesOfOtherModulesMustBeQualified() throws Exception {
        assertRefused(d -> entryIpv4(d, 1).put("protocol", "IP_TCP"), "invalid-value",
                "IP_TCP: identities of openconfig-packet-match-types are written openconfig-packet-match-types:NAME here");
    }

    @Test
    void openconfigAclsOwnIdentitiesMayBeSimple() throws Exception {
        JsonNode document = golden();
        ((ObjectNode) document.at(ENTRY + "1/actions/config")).put("forwarding-action", "ACCEPT");

        assertThat(AclModelValidator.validate(document, Set.of("Ethernet1/1"))).isEmpty();
    }

    @Test
    void aSinglePortIsANumberNotAString() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "1/transport/config")).put("destination-port", "8080"),
                "invalid-value", "\"8080\" is not a port range (low..high), and a single port is a number");
    }

    @Test
    void aPortRangeMustNotBeEmpty() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "1/transport/config")).put("destination-port", "2000..1000"),
                "invalid-value", "device: empty port range 2000..1000");
    }

    @Test
    void sequenceIdsAreUniqueNumbers() throws Exception {
        assertRefused(d -> {
            ((ObjectNode) d.at(ENTRY + "1")).put("sequence-id", 10);
            ((ObjectNode) d.at(ENTRY + "1/config")).put("sequence-id", 10);
        }, "data-exists", "sequence-id 10 used twice in one ACL set");
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "0")).put("sequence-id", "10"), "invalid-value",
                "expected a JSON number from 0 to 4294967295, got \"10\"");
    }

    @Test
    void listKeysEqualTheirConfig() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "0/config")).put("sequence-id", 11), "invalid-value",
                "the key sequence-id must equal config/sequence-id");
    }

    @Test
    void interfacesBindOnlySetsThatExist() throws Exception {
        assertRefused(d -> {
            ObjectNode binding = (ObjectNode) d.at("/openconfig-acl:acl/interfaces/interface/0/ingress-acl-sets"
                    + "/ingress-acl-set/0");
            binding.put("set-name", "nope");
            ((ObjectNode) binding.get("config")).put("set-name", "nope");
        }, "invalid-value", "no ACL set nope of type ACL_IPV4");
    }

    @Test
    void ipv6FieldsAreNotValidInAnIpv4Set() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "1")).putObject("ipv6"), "unknown-element",
                "ipv6 fields are not valid in a ACL_IPV4 set");
    }

    @Test
    void configFalseDataAndQualifiedInnerNamesAreUnknown() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "1")).putObject("state"), "unknown-element",
                "unknown element state (config false)");
        assertRefused(d -> {
            ObjectNode acl = (ObjectNode) d.get("openconfig-acl:acl");
            acl.set("openconfig-acl:acl-sets", acl.remove("acl-sets"));
        }, "unknown-element", "a member in its parent's namespace takes the simple name (RFC 7951 4)");
    }

    @Test
    void everyEntryHasAForwardingAction() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "1/actions/config")).remove("forwarding-action"),
                "missing-element", "missing");
    }

    @Test
    void builtinDetailNeedsItsModeAndTcp() throws Exception {
        String inbound = "/openconfig-acl:acl/acl-sets/acl-set/1/acl-entries/acl-entry/0/";
        assertRefused(d -> ((ObjectNode) d.at(inbound + "transport/config")).remove("detail-mode"), "invalid-value",
                "builtin-detail needs detail-mode BUILTIN");
        assertRefused(d -> ((ObjectNode) d.at(inbound + "ipv4/config")).put("protocol",
                "openconfig-packet-match-types:IP_UDP"), "invalid-value", "device: TCP_ESTABLISHED needs protocol IP_TCP");
    }

    @Test
    void icmpTypesAreTheModelsIdentities() throws Exception {
        assertRefused(d -> ((ObjectNode) d.at(ENTRY + "0/ipv4/icmpv4/config")).put("type",
                "openconfig-icmpv4-types:ECHO_ANSWER"), "invalid-value",
                "openconfig-icmpv4-types:ECHO_ANSWER is not an identity this leaf takes");
    }

    @Test
    void prefixesFollowTheirTypes() throws Exception {
        assertRefused(d -> entryIpv4(d, 1).put("destination-address", "10.0.2.0"), "invalid-value",
                "10.0.2.0 is not an ipv4-prefix");
        assertRefused(d -> ((ObjectNode) d.at("/openconfig-acl:acl/acl-sets/acl-set/2/acl-entries/acl-entry/2/ipv6/config"))
                .put("source-address", "::ffff:10.0.0.1/128"), "invalid-value", "::ffff:10.0.0.1/128 is not an ipv6-prefix");
    }

    @Test
    void theHttpSideIsRestconfs() throws Exception {
        try (DeviceSimulator device = new DeviceSimulator(USER, PASSWORD, Set.of("Ethernet1/1"))) {
            HttpClient http = HttpClient.newHttpClient();
            String body = JSON.writeValueAsString(golden());
            String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            URI resource = URI.create(device.baseUrl() + DeviceSimulator.RESOURCE);

            HttpResponse<String> noAuth = http.send(put(resource, "application/yang-data+json", body).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plainJson = http.send(put(resource, "application/json", body)
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> duplicateKeys = http.send(put(resource, "application/yang-data+json",
                    "{\"openconfig-acl:acl\":{},\"openconfig-acl:acl\":{}}").header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(resource).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> created = http.send(put(resource, "application/yang-data+json; charset=utf-8", body)
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> replaced = http.send(put(resource, "application/yang-data+json", body)
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(noAuth.statusCode()).isEqualTo(401);
            assertThat(noAuth.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"restconf\"");
            assertThat(JSON.readTree(noAuth.body()).at("/ietf-restconf:errors/error/0/error-tag").asText())
                    .isEqualTo("access-denied");
            assertThat(plainJson.statusCode()).isEqualTo(415);
            assertThat(duplicateKeys.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(duplicateKeys.body()).at("/ietf-restconf:errors/error/0/error-tag").asText())
                    .isEqualTo("malformed-message");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(replaced.statusCode()).isEqualTo(204);
            assertThat(device.accepted()).isEqualTo(2);
            assertThat(device.received()).isEqualTo(6);
        }
    }

    private static HttpRequest.Builder put(URI resource, String type, String body) {
        return HttpRequest.newBuilder(resource).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private static ObjectNode entryIpv4(JsonNode document, int entry) {
        return (ObjectNode) document.at(ENTRY + entry + "/ipv4/config");
    }

    private static void assertRefused(Consumer<JsonNode> breakIt, String tag, String message) throws Exception {
        JsonNode document = golden();
        breakIt.accept(document);

        List<Problem> problems = AclModelValidator.validate(document, Set.of("Ethernet1/1"));

        assertThat(problems).extracting(Problem::tag, Problem::message).contains(
                tuple(tag, message));
    }

    private static JsonNode golden() throws Exception {
        try (var in = DeviceSimulatorTest.class.getResourceAsStream("web-01-acl.json")) {
            JsonNode document = JSON.readTree(in);
            assertThat(document.at("/openconfig-acl:acl/acl-sets/acl-set")).isInstanceOf(ArrayNode.class);
            return document;
        }
    }
}
