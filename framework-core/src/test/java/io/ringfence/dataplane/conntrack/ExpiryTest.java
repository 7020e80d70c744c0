package io.ringfence.dataplane.conntrack;

import io.ringfence.dataplane.packet.Packet;
import io.ringfence.model.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static io.ringfence.dataplane.conntrack.Lookup.Kind.INVALID;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.NEW;
import static io.ringfence.dataplane.conntrack.Lookup.Kind.TRACKED;
import static io.ringfence.dataplane.packet.Packet.ACK;
import static io.ringfence.dataplane.packet.Packet.FIN;
import static io.ringfence.dataplane.packet.Packet.RST;
import static io.ringfence.dataplane.packet.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpiryTest {

    private final Traffic t = new Traffic();

    /** Drives a new flow into {@code state}; the last packet is seen at {@code t.now}. */
    private Flow flowIn(FlowState state) {
        switch (state) {
            case UDP_UNREPLIED, UDP_ASSURED -> {
                Packet q = Packet.udp("10.0.0.1", 5000, "10.0.0.53", 53, null);
                Flow f = t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "r", 1);
                if (state == FlowState.UDP_ASSURED) {
                    t.in(Packet.udp("10.0.0.53", 53, "10.0.0.1", 5000, null));
                }
                return f;
            }
            case ICMP -> {
                return t.tracker.create(Traffic.VNIC, Direction.OUT, Packet.icmp("10.0.0.1", "10.0.0.9", 8, 0, 1),
                        t.now, "r", 1);
            }
            case OTHER -> {
                Packet esp = new Packet(Traffic.client(0).family(), Traffic.client(0).source(),
                        Traffic.client(0).destination(), 50, 0, 0, 0, 0, 0, 0, -1, -1, 0, null, 64, 80, null);
                return t.tracker.create(Traffic.VNIC, Direction.OUT, esp, t.now, "r", 1);
            }
            default -> {
                return tcpFlowIn(state);
            }
        }
    }

    private Flow tcpFlowIn(FlowState state) {
        Flow f = t.open();
        int[][] steps = switch (state) { // {reply ? 1 : 0, flags}
            case SYN_SENT -> new int[][] {};
            case SYN_RECEIVED -> new int[][] {{1, SYN | ACK}};
            case ESTABLISHED -> new int[][] {{1, SYN | ACK}, {0, ACK}};
            case FIN_WAIT -> new int[][] {{1, SYN | ACK}, {0, ACK}, {0, FIN | ACK}};
            case CLOSE_WAIT -> new int[][] {{1, SYN | ACK}, {0, ACK}, {0, FIN | ACK}, {1, ACK}};
            case LAST_ACK -> new int[][] {{1, SYN | ACK}, {0, ACK}, {0, FIN | ACK}, {1, FIN | ACK}};
            case TIME_WAIT -> new int[][] {{1, SYN | ACK}, {0, ACK}, {0, FIN | ACK}, {1, FIN | ACK}, {0, ACK}};
            case CLOSED -> new int[][] {{1, SYN | ACK}, {0, ACK}, {1, RST}};
            default -> throw new IllegalArgumentException(state.toString());
        };
        for (int[] step : steps) {
            t.advanceSeconds(1);
            Lookup l = step[0] == 1 ? t.fromServer(step[1]) : t.fromClient(step[1]);
            assertThat(l.kind()).isEqualTo(TRACKED);
        }
        assertThat(f.state()).isEqualTo(state);
        return f;
    }

    @ParameterizedTest
    @EnumSource(FlowState.class)
    void eachStateExpiresExactlyAfterItsTimeout(FlowState state) {
        Flow flow = flowIn(state);
        long timeout = t.tracker.config().timeout(state).toNanos();
        assertThat(flow.expiresAt()).isEqualTo(t.now + timeout);

        t.advanceNanos(timeout - 1);
        assertThat(flow.expiredAt(t.now)).isFalse();
        assertThat(t.tracker.expire(t.now)).isZero();
        assertThat(t.tracker.size()).isEqualTo(1);

        t.advanceNanos(1);
        assertThat(flow.expiredAt(t.now)).isTrue();
        assertThat(t.tracker.expire(t.now)).isEqualTo(1);
        assertThat(t.tracker.size()).isZero();
        assertThat(flow.removed()).isTrue();
        assertThat(t.tracker.flows(Traffic.VNIC)).isEmpty();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ConnectionTracker.Config c = ConnectionTracker.Config.defaults(10);
        assertThat(c.timeout(FlowState.SYN_SENT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeout(FlowState.SYN_RECEIVED)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeout(FlowState.ESTABLISHED)).isEqualTo(Duration.ofDays(5));
        assertThat(c.timeout(FlowState.FIN_WAIT)).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timeout(FlowState.CLOSE_WAIT)).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.timeout(FlowState.LAST_ACK)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeout(FlowState.TIME_WAIT)).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timeout(FlowState.CLOSED)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.timeout(FlowState.UDP_UNREPLIED)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeout(FlowState.UDP_ASSURED)).isEqualTo(Duration.ofSeconds(180));
        assertThat(c.timeout(FlowState.ICMP)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeout(FlowState.OTHER)).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void configRejectsMissingOrNonPositiveValues() {
        ConnectionTracker.Config c = ConnectionTracker.Config.defaults(10);
        assertThatThrownBy(() -> c.withTimeout(FlowState.ICMP, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionTracker.Config(0, c.timeouts()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionTracker.Config(10, java.util.Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(c.withTimeout(FlowState.ICMP, Duration.ofSeconds(5)).timeout(FlowState.ICMP))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void lookupsNeverReturnAnExpiredFlow() {
        t.handshake();
        t.advanceSeconds(Duration.ofDays(5).toSeconds());
        Lookup l = t.fromClient(ACK);
        assertThat(l.kind()).isEqualTo(INVALID);
        assertThat(l.flow()).isNull();
        assertThat(t.fromClient(SYN).kind()).isEqualTo(NEW);
        assertThat(t.tracker.size()).as("the lookup dropped the expired flow").isZero();

        Packet q = Packet.udp("10.0.0.1", 5000, "10.0.0.53", 53, null);
        t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "r", 1);
        t.advanceSeconds(30);
        assertThat(t.out(q).kind()).isEqualTo(NEW);
    }

    @Test
    void trafficKeepsAFlowAlive() {
        Packet q = Packet.udp("10.0.0.1", 5000, "10.0.0.53", 53, null);
        Flow flow = t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "r", 1);
        for (int i = 0; i < 10; i++) {
            t.advanceSeconds(29);
            assertThat(t.out(q).kind()).isEqualTo(TRACKED);
        }
        assertThat(flow.removed()).isFalse();
        assertThat(flow.originalPackets()).isEqualTo(11);
    }

    @Test
    void theNewStatesTimeoutAppliesFromTheTransition() {
        Flow flow = t.open();
        t.advanceSeconds(10);
        t.fromServer(SYN | ACK);
        t.fromClient(ACK);
        assertThat(flow.expiresAt()).isEqualTo(t.now + Duration.ofDays(5).toNanos());
        t.fromClient(RST);
        assertThat(flow.expiresAt()).isEqualTo(t.now + Duration.ofSeconds(10).toNanos());
    }

    @Test
    void createReplacesAnExpiredFlowOnTheSameTuple() {
        Packet q = Packet.udp("10.0.0.1", 5000, "10.0.0.53", 53, null);
        Flow old = t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "r", 1);
        t.advanceSeconds(30);
        Flow fresh = t.tracker.create(Traffic.VNIC, Direction.OUT, q, t.now, "r", 2);
        assertThat(fresh).isNotSameAs(old);
        assertThat(old.removed()).isTrue();
        assertThat(t.tracker.size()).isEqualTo(1);
    }
}
