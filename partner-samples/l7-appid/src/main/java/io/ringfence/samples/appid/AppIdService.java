package io.ringfence.samples.appid;

import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code ringfence-samples/l7-appid} inspection function, registered as an OSGi service by
 * Declarative Services. Holds nothing but its descriptor: each flow's state lives in its
 * {@link AppIdSession}, so the service is safe to call from any number of threads.
 *
 * <p>The DS annotation is build-time only (bnd turns it into {@code OSGI-INF/*.xml}): the class is
 * plain Java, and tests create it with {@code new}.
 */
@Component(service = InspectionService.class)
public final class AppIdService implements InspectionService {

    static final String VENDOR = "ringfence-samples";
    static final String NAME = "l7-appid";

    private final InspectionDescriptor descriptor;

    /** For Declarative Services: the descriptor reports the Maven version the bundle was built as. */
    public AppIdService() {
        this(descriptorVersion(builtVersion()));
    }

    AppIdService(String version) {
        this.descriptor = new InspectionDescriptor(VENDOR, NAME, version,
                "Identifies a flow's application (HTTP, TLS, SSH, DNS) and host name from its first bytes;"
                        + " allows or denies it by profile", AppPolicy.SCHEMA, true, true);
    }

    @Override
    public InspectionDescriptor descriptor() {
        return descriptor;
    }

    /** @throws IllegalArgumentException if the profile holds a malformed host pattern (or a value out of its schema) */
    @Override
    public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
        return new AppIdSession(flow, AppPolicy.of(profile), alerts);
    }

    /** @throws IllegalArgumentException if the state is not this function's, or corrupt */
    @Override
    public InspectionSession resume(FlowContext flow, Profile profile, AlertSink alerts, SessionState state) {
        return SessionCodec.decode(state, flow, AppPolicy.of(profile), alerts);
    }

    /**
     * A Maven version as a descriptor version: {@code 1.2.0} stays, {@code 1.2.0-SNAPSHOT} becomes
     * {@code 1.2.0.SNAPSHOT} (the descriptor's qualifier follows a dot, as in an OSGi version).
     */
    static String descriptorVersion(String mavenVersion) {
        return mavenVersion.replaceFirst("-", ".");
    }

    /** The project version Maven wrote into {@code version.properties} when it built the bundle (resource filtering). */
    static String builtVersion() {
        Properties properties = new Properties();
        try (InputStream in = AppIdService.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the bundle");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
