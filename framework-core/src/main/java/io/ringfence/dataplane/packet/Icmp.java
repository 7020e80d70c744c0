package io.ringfence.dataplane.packet;

import io.ringfence.net.IpFamily;

/** Which ICMP and ICMPv6 types are echoes (they carry an identifier) and which are errors (they quote a packet). */
final class Icmp {

    static final int ECHO_REPLY = 0;
    static final int UNREACHABLE = 3;
    static final int ECHO_REQUEST = 8;
    static final int V6_UNREACHABLE = 1;
    static final int V6_ECHO_REQUEST = 128;
    static final int V6_ECHO_REPLY = 129;
    /** ICMP type 3 code 13: communication administratively prohibited (RFC 1812). */
    static final int ADMIN_PROHIBITED = 13;
    /** ICMPv6 type 1 code 1: communication with destination administratively prohibited (RFC 4443). */
    static final int V6_ADMIN_PROHIBITED = 1;

    private Icmp() {
    }

    static boolean isEcho(IpFamily family, int type) {
        return family == IpFamily.IPV4 ? type == ECHO_REPLY || type == ECHO_REQUEST
                : type == V6_ECHO_REQUEST || type == V6_ECHO_REPLY;
    }

    /** Destination unreachable, time exceeded, parameter problem; for ICMPv6 also packet too big. */
    static boolean isError(IpFamily family, int type) {
        return family == IpFamily.IPV4 ? type == 3 || type == 11 || type == 12 : type >= 1 && type <= 4;
    }
}
