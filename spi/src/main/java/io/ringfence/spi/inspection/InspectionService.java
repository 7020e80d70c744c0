package io.ringfence.spi.inspection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An inspection function, registered by a partner bundle as an OSGi service. See the package
 * documentation for the lifecycle, threading and hot-swap rules.
 */
@ConsumerType
public interface InspectionService {

    /** What this function is; must return the same value for the life of the service. */
    InspectionDescriptor descriptor();

    /**
     * Opens a session for a new flow (or for a flow in progress that moves to this instance without
     * state: then the first packets it sees are not the flow's first).
     *
     * @param flow    the flow and the VM whose vNIC it crosses
     * @param profile the admin's configuration, already validated against {@link InspectionDescriptor#profileSchema()}
     * @param alerts  where the session reports what it finds (valid for the life of the session)
     * @return the session; never null
     * @throws RuntimeException if the function cannot inspect this flow: the chain's failure policy applies
     */
    InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts);

    /**
     * Takes over a flow in progress from another instance of the same definition, with the state that
     * instance exported. Called only when this descriptor says {@link InspectionDescriptor#importsState()}.
     *
     * @throws RuntimeException if the state cannot be imported (unknown format, corrupt): the framework
     *                          then opens a fresh session with {@link #open} instead
     */
    default InspectionSession resume(FlowContext flow, Profile profile, AlertSink alerts, SessionState state) {
        throw new UnsupportedOperationException("this function does not import session state");
    }

    /**
     * The function's current health, polled by the framework (cheaply, often: it should return a
     * field). A {@link Health#DOWN} instance gets no new flows.
     */
    default Health health() {
        return Health.UP;
    }
}
