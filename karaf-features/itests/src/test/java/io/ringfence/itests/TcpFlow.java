package io.ringfence.itests;

import io.ringfence.dataplane.agent.Verdict;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.packet.PacketParser;
import io.ringfence.dataplane.packet.PacketWriter;
import io.ringfence.model.Direction;
import io.ringfence.net.IpFamily;
import io.ringfence.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP connection between two vNICs, played packet by packet through the data plane as a simulated
 * vNIC would hand it over: each segment is written as an Ethernet frame (lengths and checksums
 * computed) and parsed back, then decided OUT at the sender's vNIC and, when allowed there, IN at the
 * receiver's. Sequence and acknowledgement numbers advance as the payload is sent. Not thread-safe.
 */
final class TcpFlow {

    /**
     * A vNIC as a packet source or destination.
     *
     * @param vnicId  its id
     * @param address its IPv4 address
     * @param mac     its MAC, as a long
     */
    record Endpoint(String vnicId, String address, long mac) {
    }

    /**
     * What the data plane made of one segment.
     *
     * @param out the verdict at the sender's vNIC
     * @param in  the verdict at the receiver's vNIC, null when the sender's did not let it out
     */
    record Crossing(Verdict out, Verdict in) {

        /** Delivered: allowed at both vNICs. */
        boolean delivered() {
            return in != null && in.allowed();
        }

        /** The verdict of the vNIC where the segment went through a service chain, or null if it went through none. */
        Verdict steered() {
            if (out.chainId() != null) {
                return out;
            }
            return in != null && in.chainId() != null ? in : null;
        }
    }

    private static final int WINDOW = 65535;

    private final DataPlaneService dataPlane;
    private final Endpoint client;
    private final Endpoint server;
    private final int clientPort;
    private final int serverPort;
    private long clientSeq;
    private long serverSeq;

    TcpFlow(DataPlaneService dataPlane, Endpoint client, int clientPort, Endpoint server, int serverPort) {
        this.dataPlane = dataPlane;
        this.client = client;
        this.server = server;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.clientSeq = 1_000_000L + clientPort;
        this.serverSeq = 7_000_000L + clientPort;
    }

    /**
     * SYN, SYN+ACK, ACK, each consuming a sequence number of its sender as TCP's do; stops at the first
     * segment not delivered (a peer that got no SYN sends no SYN+ACK).
     */
    List<Crossing> handshake() {
        List<Crossing> played = new ArrayList<>();
        Crossing syn = client(Packet.SYN, new byte[0]);
        clientSeq++;
        played.add(syn);
        if (!syn.delivered()) {
            return played;
        }
        Crossing synAck = server(Packet.SYN | Packet.ACK, new byte[0]);
        serverSeq++;
        played.add(synAck);
        if (synAck.delivered()) {
            played.add(client(Packet.ACK, new byte[0]));
        }
        return played;
    }

    /** A data segment from the client (PSH+ACK). */
    Crossing clientSends(byte[] payload) {
        Crossing c = client(Packet.PSH | Packet.ACK, payload);
        clientSeq += payload.length;
        return c;
    }

    Crossing clientSends(String ascii) {
        return clientSends(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** The client sends {@code payload} again at the sequence number it had before (a retransmission). */
    Crossing clientResends(byte[] payload) {
        clientSeq -= payload.length;
        return clientSends(payload);
    }

    /** A data segment from the server (PSH+ACK). */
    Crossing serverSends(byte[] payload) {
        Crossing c = server(Packet.PSH | Packet.ACK, payload);
        serverSeq += payload.length;
        return c;
    }

    Crossing serverSends(String ascii) {
        return serverSends(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** The client closes, the server acknowledges and closes, the client acknowledges; stops like {@link #handshake}. */
    List<Crossing> close() {
        List<Crossing> played = new ArrayList<>();
        Crossing fin = client(Packet.FIN | Packet.ACK, new byte[0]);
        clientSeq++;
        played.add(fin);
        if (!fin.delivered()) {
            return played;
        }
        Crossing finAck = server(Packet.FIN | Packet.ACK, new byte[0]);
        serverSeq++;
        played.add(finAck);
        if (finAck.delivered()) {
            played.add(client(Packet.ACK, new byte[0]));
        }
        return played;
    }

    private Crossing client(int flags, byte[] payload) {
        return cross(client, clientPort, server, serverPort, flags, clientSeq, (flags & Packet.ACK) != 0 ? serverSeq : 0,
                payload);
    }

    private Crossing server(int flags, byte[] payload) {
        return cross(server, serverPort, client, clientPort, flags, serverSeq, clientSeq, payload);
    }

    private Crossing cross(Endpoint from, int fromPort, Endpoint to, int toPort, int flags, long seq, long ack,
                           byte[] payload) {
        IpPrefix source = IpPrefix.parse(from.address());
        IpPrefix destination = IpPrefix.parse(to.address());
        Packet built = new Packet(IpFamily.IPV4, source, destination, Packet.TCP, fromPort, toPort, flags,
                seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, WINDOW, -1, -1, 0, null, 64, 40 + payload.length, payload);
        Packet onTheWire = PacketParser.parseEthernet(PacketWriter.toEthernet(built, from.mac(), to.mac()));
        Verdict out = dataPlane.process(from.vnicId(), Direction.OUT, onTheWire);
        if (out == null) {
            throw new AssertionError("no verdict at " + from.vnicId() + " OUT");
        }
        if (!out.allowed()) {
            return new Crossing(out, null);
        }
        Verdict in = dataPlane.process(to.vnicId(), Direction.IN, onTheWire);
        if (in == null) {
            throw new AssertionError("no verdict at " + to.vnicId() + " IN");
        }
        return new Crossing(out, in);
    }
}
