package io.ringfence.demo.internal;

import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Action;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Synthetic traffic between the demo VMs, entirely in memory: each {@link #tick()} plays a fixed
 * handful of conversations through the data plane (every packet OUT at the source's vNIC, then IN
 * at the destination's, and the replies back), so that the rules' counters and the flow tables
 * show something. A conversation stops at the first packet not allowed. Nothing is sent on a network.
 *
 * <p>One tick is bounded: {@link #CONVERSATIONS} conversations of at most 7 packets each. Not
 * thread-safe: call {@code tick} from one thread at a time.
 */
public final class DemoTraffic {

    /** A conversation: a client VM reaching a server VM on a protocol and port. */
    record Conversation(String client, String server, int protocol, int port) {
    }

    /** What each tick plays, and the rule of the demo that decides each. */
    static final List<Conversation> CONVERSATIONS = List.of(
            new Conversation("web-01", "app-01", Packet.TCP, 8080),   // web-to-app
            new Conversation("app-01", "db-01", Packet.TCP, 5432),    // app-to-db
            new Conversation("web-dev-01", "db-01", Packet.TCP, 5432), // dev-not-prod: rejected
            new Conversation("jump-01", "web-01", Packet.TCP, 22),    // ssh-from-jump
            new Conversation("web-01", "dns-01", Packet.UDP, 53));    // dns

    private static final int FIRST_PORT = 49152;
    private static final int PORTS = 65536 - FIRST_PORT;
    private static final byte[] QUERY = "ringfence.example. A".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = "ringfence.example. A 192.0.2.1".getBytes(StandardCharsets.US_ASCII);

    private final DataPlaneService dataPlane;
    private final Supplier<ModelSnapshot> model;
    private int nextPort;
    private long conversations;

    /**
     * @param dataPlane where the packets go
     * @param model     the current model, read once per tick for the VMs' vNICs and addresses
     */
    public DemoTraffic(DataPlaneService dataPlane, Supplier<ModelSnapshot> model) {
        this.dataPlane = dataPlane;
        this.model = model;
    }

    /** Plays every conversation once; returns how many ran to their end (all packets allowed). */
    public int tick() {
        ModelSnapshot m = model.get();
        int completed = 0;
        for (Conversation c : CONVERSATIONS) {
            Optional<Endpoint> client = endpoint(m, c.client());
            Optional<Endpoint> server = endpoint(m, c.server());
            if (client.isEmpty() || server.isEmpty()) {
                continue; // the VM was deleted or lost its address: the demo plays what exists
            }
            int port = FIRST_PORT + nextPort;
            nextPort = (nextPort + 1) % PORTS;
            conversations++;
            boolean done = c.protocol() == Packet.TCP
                    ? tcp(client.get(), server.get(), port, c.port())
                    : udp(client.get(), server.get(), port, c.port());
            if (done) {
                completed++;
            }
        }
        return completed;
    }

    /** Conversations started so far. */
    public long conversations() {
        return conversations;
    }

    /** A handshake, then a close from each side. */
    private boolean tcp(Endpoint c, Endpoint s, int cport, int sport) {
        return send(c, s, Packet.tcp(c.address(), cport, s.address(), sport, Packet.SYN))
                && send(s, c, Packet.tcp(s.address(), sport, c.address(), cport, Packet.SYN | Packet.ACK))
                && send(c, s, Packet.tcp(c.address(), cport, s.address(), sport, Packet.ACK))
                && send(c, s, Packet.tcp(c.address(), cport, s.address(), sport, Packet.FIN | Packet.ACK))
                && send(s, c, Packet.tcp(s.address(), sport, c.address(), cport, Packet.ACK))
                && send(s, c, Packet.tcp(s.address(), sport, c.address(), cport, Packet.FIN | Packet.ACK))
                && send(c, s, Packet.tcp(c.address(), cport, s.address(), sport, Packet.ACK));
    }

    private boolean udp(Endpoint c, Endpoint s, int cport, int sport) {
        return send(c, s, Packet.udp(c.address(), cport, s.address(), sport, QUERY))
                && send(s, c, Packet.udp(s.address(), sport, c.address(), cport, ANSWER));
    }

    /** One packet out of the sender's vNIC and into the receiver's; true when both allowed it. */
    private boolean send(Endpoint from, Endpoint to, Packet p) {
        return dataPlane.process(from.vnicId(), Direction.OUT, p).action() == Action.ALLOW
                && dataPlane.process(to.vnicId(), Direction.IN, p).action() == Action.ALLOW;
    }

    /** A vNIC of a VM and its first IPv4 address. */
    private record Endpoint(String vnicId, String address) {
    }

    private static Optional<Endpoint> endpoint(ModelSnapshot m, String vmId) {
        Optional<Vm> vm = m.find(Kind.VM, vmId);
        if (vm.isEmpty()) {
            return Optional.empty();
        }
        for (Vnic nic : vm.get().vnics()) {
            for (IpPrefix a : nic.addresses()) {
                if (a.family() == IpFamily.IPV4 && a.isHost()) {
                    return Optional.of(new Endpoint(nic.id(), a.toString()));
                }
            }
        }
        return Optional.empty();
    }
}
