package io.ringfence.spi.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectionContractTest {

    @Test
    void descriptorIdentifiesTheDefinitionAcrossVersions() {
        InspectionDescriptor v1 = new InspectionDescriptor("acme", "ids", "1.0.0", "IDS", null, false, false);
        InspectionDescriptor v2 = new InspectionDescriptor("acme", "ids", "1.1.0", "IDS", ProfileSchema.EMPTY, true, true);
        assertThat(v1.definitionId()).isEqualTo(v2.definitionId()).isEqualTo("acme/ids");
        assertThat(v1.profileSchema()).isEqualTo(ProfileSchema.EMPTY);
    }

    @Test
    void malformedDescriptorsAreRefused() {
        assertThatThrownBy(() -> new InspectionDescriptor("Acme", "ids", "1.0.0", "", null, false, false))
                .hasMessageContaining("vendor");
        assertThatThrownBy(() -> new InspectionDescriptor("acme", "ids/x", "1.0.0", "", null, false, false))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> new InspectionDescriptor("acme", "ids", "1.0", "", null, false, false))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new InspectionDescriptor("acme", "-ids", "1.0.0", "", null, false, false))
                .hasMessageContaining("name");
    }

    @Test
    void versionsOrderLikeOsgiBundleVersions() {
        assertThat(InspectionDescriptor.compareVersions("1.10.0", "1.9.0")).isPositive();
        assertThat(InspectionDescriptor.compareVersions("1.2.0", "1.2.0.beta1")).isNegative();
        assertThat(InspectionDescriptor.compareVersions("1.2.0.beta1", "1.2.1")).isNegative();
        assertThat(InspectionDescriptor.compareVersions("2.0.0.b", "2.0.0.a")).isPositive();
        assertThat(InspectionDescriptor.compareVersions("3.0.0", "3.0.0")).isZero();
    }

    @Test
    void schemaRefusesDuplicateNamesAndBadDefaults() {
        assertThatThrownBy(() -> ProfileSchema.of(ProfileParameter.string("a", "", null),
                ProfileParameter.bool("a", "", true))).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new ProfileParameter("n", ParameterType.INTEGER, "", false, "7", null, null, null, 0))
                .hasMessageContaining("default");
        assertThatThrownBy(() -> ProfileParameter.string("1st", "", null)).hasMessageContaining("name");
        ProfileSchema schema = ProfileSchema.of(ProfileParameter.integer("depth", "", 5L, 1, 10).asRequired());
        assertThat(schema.parameter("depth").required()).isTrue();
        assertThat(schema.parameter("depth").defaultValue()).isNull();
        assertThat(schema.parameter("nope")).isNull();
    }

    @Test
    void profileGivesTypedValuesAndIsImmutable() {
        Profile p = new Profile("p1", "strict", Map.of("mode", "block", "depth", 7L, "on", true,
                "hosts", List.of("a.example")));
        assertThat(p.string("mode")).isEqualTo("block");
        assertThat(p.integer("depth", 0)).isEqualTo(7);
        assertThat(p.integer("absent", 3)).isEqualTo(3);
        assertThat(p.bool("on", false)).isTrue();
        assertThat(p.stringList("hosts")).containsExactly("a.example");
        assertThat(p.stringList("absent")).isEmpty();
        assertThatThrownBy(() -> p.values().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sessionStateIsCopiedAndBounded() {
        byte[] data = {1, 2, 3};
        SessionState s = new SessionState("fmt/1", data);
        data[0] = 9;
        assertThat(s.data()).containsExactly(1, 2, 3);
        s.data()[1] = 9;
        assertThat(s.data()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> new SessionState("fmt/1", new byte[SessionState.MAX_SIZE + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionState(" ", data)).hasMessageContaining("format");
    }

    @Test
    void defaultsOfTheServiceAndSession() {
        InspectionService service = new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return new InspectionDescriptor("acme", "noop", "1.0.0", "", null, false, false);
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> Verdict.PASS;
            }
        };
        assertThat(service.health()).isEqualTo(Health.UP);
        assertThatThrownBy(() -> service.resume(null, null, null, new SessionState("f", new byte[0])))
                .isInstanceOf(UnsupportedOperationException.class);
        InspectionSession session = service.open(null, null, a -> { });
        assertThat(session.exportState()).isEmpty();
        assertThat(session.inspect(new InspectedPacket(PacketSide.ORIGINAL, InspectedPacket.SYN, 1, 40,
                java.nio.ByteBuffer.allocate(0)))).isEqualTo(Verdict.PASS);
    }
}
