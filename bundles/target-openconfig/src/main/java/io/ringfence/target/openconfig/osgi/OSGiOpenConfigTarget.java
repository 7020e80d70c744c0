package io.ringfence.target.openconfig.osgi;

import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor;
import io.ringfence.target.openconfig.OpenConfigConfiguration;
import io.ringfence.target.openconfig.OpenConfigTarget;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One device target per configuration: nothing runs until one is given, a factory configuration
 * per device ({@code etc/io.ringfence.target.openconfig-<name>.cfg}). The framework's feeds pick
 * the registered target up.
 */
@Component(service = EnforcementTarget.class, configurationPid = "io.ringfence.target.openconfig",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OSGiOpenConfigTarget.Configuration.class, factory = true)
public final class OSGiOpenConfigTarget implements EnforcementTarget {

    @ObjectClassDefinition(name = "Ringfence OpenConfig ACL enforcement target")
    public @interface Configuration {

        @AttributeDefinition(description = "The target's id, e.g. oc:leaf-01")
        String id();

        @AttributeDefinition(description = "The device's RESTCONF server, http(s)://host[:port], without /restconf")
        String baseUrl();

        @AttributeDefinition(description = "User for HTTP basic authentication")
        String username();

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password for HTTP basic authentication")
        String password();

        @AttributeDefinition(description = "The hosts whose vNICs the device enforces (comma-separated)")
        String[] hosts();

        @AttributeDefinition(description = "vnic=interface-id entries (comma-separated): the device port facing each"
                + " vNIC, <interface> or <interface>.<subinterface>")
        String[] interfaces() default {};

        @AttributeDefinition(description = "Interface id for vNICs not listed in interfaces, with {vnic} or {vm} in it;"
                + " empty for none")
        String interfaceTemplate() default "";

        @AttributeDefinition(description = "The most ACL entries the device is given; an update needing more is refused")
        int maxEntries() default 4096;

        @AttributeDefinition(description = "How long to wait for a connection to the device, in milliseconds")
        long connectTimeoutMillis() default 5_000;

        @AttributeDefinition(description = "How long to wait for the device to answer a push, in milliseconds")
        long requestTimeoutMillis() default 30_000;
    }

    private final OpenConfigTarget target;

    @Activate
    public OSGiOpenConfigTarget(Configuration config) {
        this.target = new OpenConfigTarget(OpenConfigConfiguration.parse(config.id(), config.baseUrl(),
                config.username(), config.password(), config.hosts(), config.interfaces(), config.interfaceTemplate(),
                config.maxEntries(), config.connectTimeoutMillis(), config.requestTimeoutMillis()));
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
}
