package io.ringfence.insertion.internal;

import io.ringfence.insertion.RecentAlert;
import io.ringfence.spi.inspection.Alert;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import java.time.Clock;

/**
 * The alert sink of one session: records into its definition's recent alerts and logs. It is
 * invalidated once the session is closed, so that a late report from a session that should be gone
 * fails loudly instead of being attributed to nothing.
 */
final class SessionAlerts implements AlertSink {

    private static final System.Logger LOG = System.getLogger(SessionAlerts.class.getName());

    private final AlertLog log;
    private final Clock clock;
    private final String definitionId;
    private final String version;
    private final String chainId;
    private final String profileId;
    private final FlowContext flow;
    private volatile boolean open = true;

    SessionAlerts(AlertLog log, Clock clock, String definitionId, String version, String chainId, String profileId,
                  FlowContext flow) {
        this.log = log;
        this.clock = clock;
        this.definitionId = definitionId;
        this.version = version;
        this.chainId = chainId;
        this.profileId = profileId;
        this.flow = flow;
    }

    @Override
    public void alert(Alert alert) {
        if (alert == null) {
            throw new IllegalArgumentException("null alert");
        }
        if (!open) {
            throw new IllegalStateException("the session of " + definitionId + " " + version + " for flow "
                    + flow.flowId() + " is closed: its alert sink takes no more alerts");
        }
        log.append(new RecentAlert(clock.instant(), definitionId, version, chainId, profileId, flow.flowId(),
                flow.vnicId(), flow.vmId(), alert));
        System.Logger.Level level = alert.severity().compareTo(Alert.Severity.HIGH) >= 0
                ? System.Logger.Level.WARNING : System.Logger.Level.INFO;
        LOG.log(level, () -> definitionId + " " + version + " alert " + alert.severity() + " " + alert.signature()
                + (alert.blocked() ? " (blocked)" : "") + " on flow " + flow.flowId() + " of VM " + flow.vmId()
                + " (chain " + chainId + ", profile " + profileId + "): " + alert.message());
    }

    void invalidate() {
        open = false;
    }
}
