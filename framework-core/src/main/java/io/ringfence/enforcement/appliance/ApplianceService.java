package io.ringfence.enforcement.appliance;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The registry of partner virtual appliances and their side of the pull protocol. Every refusal is
 * an {@link ApplianceException} with its reason.
 */
@ProviderType
public interface ApplianceService {

    /**
     * Registers an appliance, or registers it again (after it restarted, or let its lease run out):
     * this starts a new session whose first update is the appliance's full state.
     *
     * @param principal the user registering it; only that user may use the session
     */
    ApplianceStatus register(ApplianceRegistration registration, String principal);

    /** Every registered appliance, by id. */
    List<ApplianceStatus> appliances();

    Optional<ApplianceStatus> appliance(String id);

    /**
     * Removes an appliance: it is no longer an enforcement target.
     *
     * @return false for an unknown appliance
     */
    boolean deregister(String id);

    /**
     * The appliance's next update: the one pending, if its sequence is above {@code after}, else
     * the first made available within {@code wait} (bounded by the service). Polling, and waiting
     * in a poll, keeps the lease.
     *
     * @param session the session the appliance registered ({@link ApplianceStatus#session}); null for a
     *                client that does not say (it is then not told that another session replaced its own)
     * @param after   the last sequence the appliance has (0 after registering)
     * @return empty when nothing came within the wait
     * @throws ApplianceException {@code SESSION_ENDED} when {@code session} is not the appliance's current one
     */
    Optional<RuleSetUpdate> poll(String id, String principal, String session, long after, Duration wait)
            throws InterruptedException;

    /**
     * The appliance's answer to its pending update.
     *
     * @param session as for {@link #poll}
     */
    void acknowledge(String id, String principal, String session, Acknowledgement acknowledgement);

    /** The longest wait a poll gets. */
    Duration maxWait();
}
