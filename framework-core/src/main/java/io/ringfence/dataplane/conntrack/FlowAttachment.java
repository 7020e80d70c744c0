package io.ringfence.dataplane.conntrack;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the data plane keeps with a flow for as long as the flow lives (e.g. its steering through a
 * service chain), so that the fast path finds it with the flow and the tracker tells it when the
 * flow ends, whatever ends it: expiry, eviction, a revalidation cut, a removal by the data plane, its
 * vNIC or its host leaving.
 *
 * @since 0.3.0
 */
@ConsumerType
@FunctionalInterface
public interface FlowAttachment {

    /**
     * The tracker removed the flow. Called once per removal, on the thread that removed the flow, after
     * the tracker let go of its locks (so it may block briefly and may call the tracker); must not throw.
     */
    void flowRemoved();
}
