package io.ringfence.spi.inspection;

import java.nio.ByteBuffer;

/**
 * One packet of an inspected flow.
 *
 * @param side        which end sent it
 * @param tcpFlags    TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10), 0 for other protocols
 * @param tcpSequence TCP sequence number (unsigned 32 bits), 0 for other protocols; lets a function
 *                    order segments and spot retransmissions
 * @param length      length of the IP packet in bytes
 * @param payload     the transport payload, read-only; valid only during the {@code inspect} call
 *                    (copy what must outlive it)
 */
public record InspectedPacket(PacketSide side, int tcpFlags, long tcpSequence, int length, ByteBuffer payload) {

    /** TCP FIN flag. */
    public static final int FIN = 0x01;
    /** TCP SYN flag. */
    public static final int SYN = 0x02;
    /** TCP RST flag. */
    public static final int RST = 0x04;

    /** True when all of {@code flags} are set. */
    public boolean has(int flags) {
        return (tcpFlags & flags) == flags;
    }
}
