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
 * <p>TCP conversations number their segments as TCP does (the SYNs and FINs take one sequence number
 * each), so that the partner functions the demo steers the web tier's API calls through
 * (application identification, signatures) read the payload as a byte stream. Those calls carry an
 * HTTP request and its response; one call in {@value #SUSPICIOUS_EVERY} names {@code cmd.exe} in its
 * query, which the sample IDS reports (an alert; its rule does not block).
 *
 * <p>One tick is bounded: {@link #CONVERSATIONS} conversations of at most 9 packets each. Not
 * thread-safe: call {@code tick} from one thread at a time.
 */
public final class DemoTraffic {

    /**
     * A conversation: a client VM reaching a server VM on a protocol and port.
     *
     * @param http TCP: the client sends an HTTP request and the server answers it
     */
    record Conversation(String client, String server, int protocol, int port, boolean http) {
    }

    /** What each tick plays, and the rule of the demo that decides each. */
    static final List<Conversation> CONVERSATIONS = List.of(
            new Conversation("web-01", "app-01", Packet.TCP, 8080, true),   // web-to-app, steered for inspection
            new Conversation("app-01", "db-01", Packet.TCP, 5432, false),   // app-to-db
            new Conversation("web-dev-01", "db-01", Packet.TCP, 5432, false), // dev-not-prod: rejected
            new Conversation("jump-01", "web-01", Packet.TCP, 22, false),   // ssh-from-jump
            new Conversation("web-01", "dns-01", Packet.UDP, 53, false));   // dns

    /** One HTTP call in this many names {@code cmd.exe}. */
    static final int SUSPICIOUS_EVERY = 5;

    private static final int FIRST_PORT = 49152;
    private static final int PORTS = 65536 - FIRST_PORT;
    private static final byte[] QUERY = "ringfence.example. A".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = "ringfence.example. A 192.0.2.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST = ascii("GET /api/orders?status=open HTTP/1.1\r\nHost: app-01\r\n\r\n");
    private static final byte[] SUSPICIOUS = ascii("GET /api/reports?run=cmd.exe%20%2Fc%20dir HTTP/1.1\r\nHost: app-01\r\n\r\n");
    private static final byte[] RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 2\r\n\r\n[]");

    private final DataPlaneService dataPlane;
    private final Supplier<ModelSnapshot> model;
    private int nextPort;
    private long conversations;
    private long httpCalls;

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
                    ? tcp(client.get(), server.get(), port, c.port(), c.http() ? request() : null)
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

    private byte[] request() {
        return httpCalls++ % SUSPICIOUS_EVERY == SUSPICIOUS_EVERY - 1 ? SUSPICIOUS : REQUEST;
    }

    /**
     * A handshake, then (when there is a request) the request and its response, then a close from each
     * side. The initial sequence numbers derive from the ports, as good as random here.
     */
    private boolean tcp(Endpoint c, Endpoint s, int cport, int sport, byte[] request) {
        long cseq = cport * 7919L;
        long sseq = sport * 104_729L + cport;
        boolean open = send(c, s, segment(c, cport, s, sport, Packet.SYN, cseq, 0, null))
                && send(s, c, segment(s, sport, c, cport, Packet.SYN | Packet.ACK, sseq, cseq + 1, null))
                && send(c, s, segment(c, cport, s, sport, Packet.ACK, cseq + 1, sseq + 1, null));
        if (!open) {
            return false;
        }
        cseq++;
        sseq++;
        if (request != null) {
            if (!send(c, s, segment(c, cport, s, sport, Packet.PSH | Packet.ACK, cseq, sseq, request))
                    || !send(s, c, segment(s, sport, c, cport, Packet.PSH | Packet.ACK, sseq, cseq + request.length,
                    RESPONSE))) {
                return false;
            }
            cseq += request.length;
            sseq += RESPONSE.length;
        }
        return send(c, s, segment(c, cport, s, sport, Packet.FIN | Packet.ACK, cseq, sseq, null))
                && send(s, c, segment(s, sport, c, cport, Packet.ACK, sseq, cseq + 1, null))
                && send(s, c, segment(s, sport, c, cport, Packet.FIN | Packet.ACK, sseq, cseq + 1, null))
                && send(c, s, segment(c, cport, s, sport, Packet.ACK, cseq + 1, sseq + 1, null));
    }

    /** A TCP segment (sequence numbers modulo 2^32, as on the wire). */
    private static Packet segment(Endpoint from, int fromPort, Endpoint to, int toPort, int flags, long seq, long ack,
                                  byte[] payload) {
        Packet bare = Packet.tcp(from.address(), fromPort, to.address(), toPort, flags);
        int length = payload == null ? 0 : payload.length;
        return new Packet(bare.family(), bare.source(), bare.destination(), Packet.TCP, fromPort, toPort, flags,
                seq & 0xFFFF_FFFFL, (flags & Packet.ACK) != 0 ? ack & 0xFFFF_FFFFL : 0, bare.tcpWindow(), -1, -1, 0,
                null, bare.ttl(), bare.length() + length, payload);
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
