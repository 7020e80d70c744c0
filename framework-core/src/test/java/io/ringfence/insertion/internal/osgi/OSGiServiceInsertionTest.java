package io.ringfence.insertion.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceInstance;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectedPacket;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.PacketSide;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.spi.inspection.VnicDirection;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DS wiring, driven by hand as SCR would: service properties in, services out. */
class OSGiServiceInsertionTest {

    private static OSGiServiceInsertion.Configuration defaults() {
        return (OSGiServiceInsertion.Configuration) Proxy.newProxyInstance(OSGiServiceInsertionTest.class.getClassLoader(),
                new Class<?>[] {OSGiServiceInsertion.Configuration.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    private static InspectionService function(String version, Verdict verdict) {
        InspectionDescriptor d = new InspectionDescriptor("acme", "ids", version, "", null, false, false);
        return new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return d;
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> verdict;
            }
        };
    }

    @Test
    void servicesBoundAndUnboundAreInstancesOfTheirDefinition() throws Exception {
        OSGiServiceInsertion component = new OSGiServiceInsertion(defaults());
        try {
            InspectionService old = function("1.0.0", Verdict.PASS);
            InspectionService ranked = function("1.0.0", Verdict.DROP);
            component.addFunction(old, Map.of("service.id", 11L));
            component.addFunction(ranked, Map.of("service.id", 12L, "service.ranking", 5));

            ServiceDefinition ids = component.definition("acme/ids").orElseThrow();
            assertThat(ids.instances()).extracting(ServiceInstance::serviceId).containsExactly(12L, 11L);
            FlowContext flow = new FlowContext(1, "vnic", VnicDirection.OUT, "vm", "vm", List.of(), FlowContext.TCP,
                    InetAddress.getByName("10.0.0.1"), 1000, InetAddress.getByName("10.0.0.2"), 80);
            ChainSpec chain = ChainSpec.symmetric("c", List.of(new ChainHop("p", "acme/ids", new Profile("p", "p", Map.of()))),
                    FailurePolicy.ALLOW, Duration.ofSeconds(5));
            InspectedPacket packet = new InspectedPacket(PacketSide.ORIGINAL, 0, 0, 40, ByteBuffer.allocate(0));
            assertThat(component.open(chain, flow).process(packet).verdict()).isEqualTo(Verdict.DROP);

            component.removeFunction(ranked, Map.of("service.id", 12L, "service.ranking", 5));
            assertThat(component.open(chain, flow).process(packet).verdict()).isEqualTo(Verdict.PASS);
            assertThat(component.chainStats("c").orElseThrow().packets()).isEqualTo(2);
            assertThat(component.functionStats()).singleElement().satisfies(f -> assertThat(f.serviceId()).isEqualTo(11));
        } finally {
            component.deactivate();
        }
        assertThat(component.definitions()).isEmpty();
    }
}
