package io.ringfence.enforcement.appliance;

import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered appliance as admins see it.
 *
 * @param id             the appliance
 * @param targetId       the enforcement target it is ({@code appliance:<id>}), as realization names it
 * @param description    one line for admins
 * @param hosts          the hosts whose vNICs it enforces
 * @param deltas         it accepts delta updates
 * @param registeredBy   the user that registered it; only that user may pull and acknowledge
 * @param session        this session's id, new at every registration: the appliance sends it with its
 *                       polls and acknowledgements, so that a process of an earlier session (one that
 *                       went on after another registered the appliance again) is refused, not served
 *                       updates or believed
 * @param registeredAt   when this session began (the last registration)
 * @param lastSeen       when it last polled or acknowledged (or registered)
 * @param reachable      false once it let its lease run out; it must register again
 * @param sequence       the last update made available to it (0: none yet)
 * @param pending        that update is not acknowledged yet
 * @param acknowledged   the last update it acknowledged (0: none)
 * @param realized       the generation each vNIC has on it, as its acknowledgements say
 * @param error          its last failure (an error it reported, or unreachable), or null
 * @param failedAt       when that happened, or null
 */
public record ApplianceStatus(String id, String targetId, String description, List<String> hosts, boolean deltas,
                              String registeredBy, String session, Instant registeredAt, Instant lastSeen,
                              boolean reachable, long sequence, boolean pending, long acknowledged,
                              Map<String, Long> realized, TargetError error, Instant failedAt) {

    public ApplianceStatus {
        hosts = List.copyOf(hosts);
        realized = Map.copyOf(realized);
    }
}
