package io.ringfence.samples.ids;

import static io.ringfence.samples.ids.Flows.segment;
import static io.ringfence.samples.ids.Flows.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.samples.ids.Flows.RecordingAlerts;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

class OSGiIdsInspectionServiceTest {

    @Test
    void announcesTheBundlesVersionAndServesWithTheBuiltInRules() {
        OSGiIdsInspectionService service = new OSGiIdsInspectionService(contextOf(Version.parseVersion("1.4.2.SNAPSHOT")));
        assertThat(service.descriptor().version()).isEqualTo("1.4.2.SNAPSHOT");
        assertThat(service.descriptor().definitionId()).isEqualTo("ringfence-samples/ids-signatures");

        Profile defaults = new Profile("default", "Default", Map.of());
        RecordingAlerts alerts = new RecordingAlerts();
        InspectionSession session = service.open(tcp(80), defaults, alerts);
        assertThat(session.inspect(segment(0, "GET /cgi-bin/x?page=../../etc/pa"))).isEqualTo(Verdict.PASS);
        assertThat(session.inspect(segment(32, "sswd"))).isEqualTo(Verdict.DROP);
        InspectionSession resumed = service.resume(tcp(80), defaults, alerts, session.exportState().orElseThrow());
        assertThat(resumed.inspect(segment(36, "x"))).isEqualTo(Verdict.DROP);
    }

    /** A bundle context that only knows its bundle's version. */
    private static BundleContext contextOf(Version version) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getVersion")) {
                        return version;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getBundle") && args == null) {
                        return bundle;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
