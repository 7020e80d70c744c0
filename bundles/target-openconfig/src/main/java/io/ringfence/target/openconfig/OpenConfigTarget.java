package io.ringfence.target.openconfig;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * An enforcement target that renders the rule sets of a hardware device's vNICs as OpenConfig ACLs
 * and pushes the device's whole ACL configuration with every update (see the package description).
 * Updates run one after the other on the target's own thread, so that two pushes never race to the
 * device; {@link #apply} returns at once. The target's copy of the desired state advances only when
 * the device took a push: a delta is applied to what the device is known to hold.
 */
public final class OpenConfigTarget implements EnforcementTarget, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OpenConfigTarget.class.getName());

    private final OpenConfigConfiguration config;
    private final TargetDescriptor descriptor;
    private final AclRenderer renderer;
    private final DeviceClient device;
    private final ExecutorService worker;

    /** What the device holds as far as we know; touched by the worker only. */
    private DesiredState accepted = DesiredState.EMPTY;

    public OpenConfigTarget(OpenConfigConfiguration config) {
        this.config = config;
        this.descriptor = new TargetDescriptor(config.targetId(), TargetDescriptor.TargetKind.HARDWARE,
                "OpenConfig ACL device at " + config.baseUrl() + " for " + String.join(", ", config.hosts()),
                config.hosts(), true);
        this.renderer = new AclRenderer(config);
        this.device = new DeviceClient(config);
        String host = config.baseUrl().getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (config.baseUrl().getScheme().equals("http") && !loopback) {
            LOG.log(System.Logger.Level.WARNING, "target " + config.targetId() + ": the device at " + config.baseUrl()
                    + " is reached over plain http, which carries the credentials in clear: use https");
        }
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ringfence-openconfig-" + config.targetId());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public TargetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        try {
            return CompletableFuture.supplyAsync(() -> applyNow(update), worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Acknowledgement.failed(update.sequence(),
                    new TargetError("closed", "the target " + config.targetId() + " is closed", true)));
        }
    }

    /** Renders the state the update leads to and pushes it; runs on the worker. */
    private Acknowledgement applyNow(RuleSetUpdate update) {
        DesiredState next;
        byte[] document;
        try {
            next = accepted.with(update);
            document = AclJson.bytes(renderer.render(next));
        } catch (RenderingException e) {
            return Acknowledgement.failed(update.sequence(), new TargetError(e.code(), e.getMessage(), false));
        }
        Optional<TargetError> refused = device.replace(document);
        if (refused.isPresent()) {
            // the device may hold the old document or, after a timeout, even this one: the next
            // push replaces whichever it is
            return Acknowledgement.failed(update.sequence(), refused.get());
        }
        accepted = next;
        Map<String, Long> realized = new HashMap<>();
        for (TargetRuleSet s : update.ruleSets()) {
            realized.put(s.vnicId(), s.generation());
        }
        return Acknowledgement.applied(update.sequence(), realized);
    }

    /** Stops taking updates; the device keeps the ACLs it has (fail static). */
    @Override
    public void close() {
        worker.shutdown();
    }
}
