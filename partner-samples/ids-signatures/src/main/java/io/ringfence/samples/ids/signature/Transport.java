package io.ringfence.samples.ids.signature;

/** The transport protocol a signature applies to. */
public enum Transport {
    TCP(6),
    UDP(17),
    /** Every protocol (including those without ports, with port {@code any}). */
    ANY(-1);

    private final int ianaNumber;

    Transport(int ianaNumber) {
        this.ianaNumber = ianaNumber;
    }

    /** True when a flow of IANA protocol number {@code protocol} is of this transport. */
    public boolean matches(int protocol) {
        return this == ANY || protocol == ianaNumber;
    }
}
