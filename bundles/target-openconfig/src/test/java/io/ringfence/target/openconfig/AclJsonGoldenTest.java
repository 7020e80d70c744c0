package io.ringfence.target.openconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The document for a small rule set, compared with a reviewed golden file: IPv4 and IPv6, a port,
 * a source port range, ICMP and ICMPv6 with type and code, REJECT, logging, a staged rule left out,
 * replies, neighbour discovery, the default rule. The device simulator must take it as it is.
 */
class AclJsonGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void webServerRendersAsTheGoldenDocument() throws Exception {
        DeviceAcl acl = render();

        assertThat(JSON.readTree(AclJson.bytes(acl))).isEqualTo(golden());
        assertThat(acl.sets()).extracting(s -> s.entries().size()).containsExactly(4, 4, 5, 5);
    }

    @Test
    void theGoldenDocumentIsValidForTheModel() throws Exception {
        assertThat(AclModelValidator.validate(golden(), Set.of("Ethernet1/1"))).isEmpty();
    }

    static DeviceAcl render() throws Exception {
        OpenConfigConfiguration config = Fixtures.config("http://127.0.0.1:1", Map.of("web-01-nic0", "Ethernet1/1"),
                100);
        return new AclRenderer(config).render(DesiredState.EMPTY.with(Fixtures.webServer(1)));
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = AclJsonGoldenTest.class.getResourceAsStream("web-01-acl.json")) {
            assertThat(in).as("golden file").isNotNull();
            return JSON.readTree(in);
        }
    }
}
