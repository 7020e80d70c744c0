package io.ringfence.target.nftables.osgi;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleCounter;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.target.nftables.NftablesConfiguration;
import io.ringfence.target.nftables.NftablesTarget;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One nftables target per configuration: nothing runs until one is given (a factory
 * configuration, {@code etc/io.ringfence.target.nftables-<name>.cfg}, for one target per host, or
 * the plain PID for one). The framework's feeds pick the registered target up.
 */
@Component(service = EnforcementTarget.class, configurationPid = "io.ringfence.target.nftables",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OSGiNftablesTarget.Configuration.class, factory = true)
public final class OSGiNftablesTarget implements EnforcementTarget {

    @ObjectClassDefinition(name = "Ringfence nftables enforcement target")
    public @interface Configuration {

        @AttributeDefinition(description = "The target's id, e.g. nft:esx-01")
        String id();

        @AttributeDefinition(description = "The hosts whose vNICs it enforces (comma-separated)")
        String[] hosts();

        @AttributeDefinition(description = "vnic=interface entries (comma-separated): the bridge port of each vNIC")
        String[] interfaces();

        @AttributeDefinition(description = "How to run nft, words separated by spaces, e.g. 'ip netns exec hv1 nft'")
        String command() default "nft";

        @AttributeDefinition(description = "Name of the inet and bridge tables the target owns")
        String table() default "ringfence";

        @AttributeDefinition(description = "Seconds a verdict token rests before reuse; at least the kernel's TCP"
                + " established timeout")
        long tokenQuarantineSeconds() default 457_200;

        @AttributeDefinition(description = "How long one nft run may take, in milliseconds")
        long commandTimeoutMillis() default 20_000;
    }

    private final NftablesTarget target;

    @Activate
    public OSGiNftablesTarget(Configuration config) {
        this.target = new NftablesTarget(NftablesConfiguration.parse(config.id(), config.hosts(), config.interfaces(),
                config.command(), config.table(), config.tokenQuarantineSeconds(), config.commandTimeoutMillis()));
    }

    @Deactivate
    void deactivate() {
        target.close();
    }

    @Override
    public TargetDescriptor descriptor() {
        return target.descriptor();
    }

    @Override
    public CompletionStage<Acknowledgement> apply(RuleSetUpdate update) {
        return target.apply(update);
    }

    @Override
    public List<RuleCounter> counters() {
        return target.counters();
    }
}
