package io.ringfence.samples.ids.signature;

import io.ringfence.spi.inspection.Alert.Severity;
import java.util.List;
import java.util.Locale;

/**
 * One rule: when its contents occur in order in one side's byte stream of a flow it applies to, it
 * reports {@code message} (and blocks the flow, for a drop rule in prevent mode).
 *
 * @param id        unique within a signature set; the {@code signature} of the alerts it raises
 * @param message   one line for admins
 * @param action    alert or drop
 * @param transport the flows' protocol
 * @param port      the flows' service (destination) port
 * @param contents  one or more, matched in this order, each starting after the previous one ended
 * @param severity  the severity of its alerts
 * @param origin    where it was written ({@code built-in rules line 12}), for error messages
 */
public record Signature(int id, String message, Action action, Transport transport, PortRange port,
                        List<Content> contents, Severity severity, String origin) {

    /** Most contents in one rule. */
    public static final int MAX_CONTENTS = 16;

    public Signature {
        if (id <= 0) {
            throw new IllegalArgumentException("a signature id is positive: " + id);
        }
        contents = List.copyOf(contents);
        if (contents.isEmpty() || contents.size() > MAX_CONTENTS) {
            throw new IllegalArgumentException("a signature has 1 to " + MAX_CONTENTS + " contents");
        }
    }

    /** True when this signature inspects flows of IANA protocol {@code protocol} to {@code port}. */
    public boolean appliesTo(int protocol, int destinationPort) {
        return transport.matches(protocol) && port.contains(destinationPort);
    }

    /**
     * A hash of what the signature looks for, stable across JVMs and versions: exported session
     * state carries it so that an importer resumes a rule's progress only if the rule with that id
     * still looks for the same contents.
     */
    public int contentsHash() {
        int h = 1;
        for (Content c : contents) {
            h = 31 * h + c.hashCode();
        }
        return h;
    }

    /** The signature in the rule format (what the parser reads back to an equal signature, origin aside). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder()
                .append(action.name().toLowerCase(Locale.ROOT)).append(' ')
                .append(transport.name().toLowerCase(Locale.ROOT)).append(' ')
                .append(port).append(" (id:").append(id).append("; msg:\"")
                .append(message.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        for (Content c : contents) {
            s.append("; ").append(c);
        }
        return s.append("; severity:").append(severity.name().toLowerCase(Locale.ROOT)).append(";)").toString();
    }
}
