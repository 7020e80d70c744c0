package io.ringfence.target.openconfig;

/**
 * The desired state cannot be rendered for the device; nothing is sent. Never retryable: the same
 * state fails the same way until the policy or the configuration changes.
 */
final class RenderingException extends Exception {

    /** A rule the model cannot express exactly (a construct, or an ICMP type or code it has no identity for). */
    static final String UNSUPPORTED_RULE = "unsupported-rule";
    /** The expansion exceeds the configured number of entries. */
    static final String TOO_MANY_ENTRIES = "too-many-entries";
    /** A vNIC has no device interface in the configuration, or shares one with another vNIC. */
    static final String UNKNOWN_INTERFACE = "unknown-interface";
    /** A rule names an address group the update did not provide. */
    static final String UNKNOWN_ADDRESS_GROUP = "unknown-address-group";

    private final String code;

    RenderingException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
