package io.ringfence.net;

/** The two IP address families, with their address width in bits. */
public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Address width in bits: 32 or 128. */
    public int bits() {
        return bits;
    }
}
