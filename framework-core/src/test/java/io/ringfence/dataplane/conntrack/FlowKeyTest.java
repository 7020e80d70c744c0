package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowKeyTest {

    @Test
    void theReplyOfAPacketHasTheReverseKey() {
        FlowKey request = FlowKey.of("vm1", Direction.OUT, Packet.tcp("10.0.0.1", 40000, "10.0.0.2", 80, 0));
        FlowKey reply = FlowKey.of("vm1", Direction.IN, Packet.tcp("10.0.0.2", 80, "10.0.0.1", 40000, 0));
        assertThat(request.reverse()).isEqualTo(reply);
        assertThat(reply.reverse()).isEqualTo(request);
    }

    @Test
    void echoUsesItsIdentifierAsPorts() {
        FlowKey k = FlowKey.of("vm1", Direction.OUT, Packet.icmp("10.0.0.1", "10.0.0.2", 8, 0, 42));
        assertThat(k.sourcePort()).isEqualTo(42);
        assertThat(k.destinationPort()).isEqualTo(42);
        assertThat(FlowKey.of("vm1", Direction.IN, Packet.icmp("10.0.0.2", "10.0.0.1", 0, 0, 42)))
                .isEqualTo(k.reverse());
        FlowKey unreachable = FlowKey.of("vm1", Direction.IN, Packet.icmp("10.0.0.2", "10.0.0.1", 3, 1, 0));
        assertThat(unreachable.sourcePort()).isZero();
    }

    @Test
    void aPacketCrossesInOrOut() {
        Packet p = Packet.udp("10.0.0.1", 1, "10.0.0.2", 2, null);
        assertThatThrownBy(() -> FlowKey.of("vm1", Direction.IN_OUT, p)).isInstanceOf(IllegalArgumentException.class);
    }
}
