/**
 * Inspection functions: the contract through which a partner bundle plugs a next-generation
 * inspection function (IDS/IPS, application identification, malware scanning...) into the
 * distributed firewall's data plane.
 *
 * <h2>Registration</h2>
 * A partner bundle registers an {@link io.ringfence.spi.inspection.InspectionService} as an OSGi
 * service (typically a Declarative Services component). Its
 * {@link io.ringfence.spi.inspection.InspectionDescriptor descriptor} names the function
 * ({@code vendor} and {@code name} together identify a <em>service definition</em>), its version,
 * the {@link io.ringfence.spi.inspection.ProfileSchema schema} of the configuration an admin gives
 * it (a <em>profile</em>), and whether it can export and import the state of a session. Several
 * versions of one definition may be registered at once (during an upgrade); new flows go to the
 * highest version whose {@link io.ringfence.spi.inspection.InspectionService#health() health} is
 * not {@link io.ringfence.spi.inspection.Health#DOWN DOWN}.
 *
 * <h2>Sessions</h2>
 * For every flow the firewall allowed and an admin's redirection policy steers to a chain holding
 * one of the function's profiles, the framework
 * {@link io.ringfence.spi.inspection.InspectionService#open opens} a session, hands it every packet
 * of the flow in order ({@link io.ringfence.spi.inspection.InspectionSession#inspect}) and closes it
 * when the flow ends, is bypassed, or moves to another instance. Each packet gets a
 * {@link io.ringfence.spi.inspection.Verdict}.
 *
 * <h2>Threading and deadlines</h2>
 * A session is never called concurrently with itself, but different sessions of one service are
 * called from many threads at once, and a session's calls may come from different threads
 * (with a happens-before edge between them). Each call has a deadline (configured by the admin,
 * milliseconds by default): a call that throws, returns {@code null} or misses its deadline puts
 * the flow under its chain's failure policy (fail-open or fail-closed) and the session is
 * abandoned. Functions should therefore do bounded work per packet and never block on I/O.
 *
 * <h2>Hot-swap</h2>
 * When a partner bundle is updated, stopped or uninstalled while traffic flows, its flows in
 * progress move to the newest remaining instance of the same definition: with their state when the
 * old instance {@link io.ringfence.spi.inspection.InspectionDescriptor#exportsState() exports} it
 * and the new one {@link io.ringfence.spi.inspection.InspectionDescriptor#importsState() imports}
 * it ({@link io.ringfence.spi.inspection.InspectionSession#exportState()},
 * {@link io.ringfence.spi.inspection.InspectionService#resume}), else as a fresh session opened
 * mid-flow. When no instance is left, the failure policy applies until one comes back.
 *
 * <p>Everything in this package is plain Java: a partner bundle needs no other Ringfence package.
 */
@Version("0.1.0")
@Export
package io.ringfence.spi.inspection;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
