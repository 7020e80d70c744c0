package io.ringfence.insertion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceInstance;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.Health;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

    private final Rig rig = new Rig();
    private final Queue<String> events = new ConcurrentLinkedQueue<>();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void definitionsListTheirInstancesNewestFirst() {
        FakeFunction a = rig.statefulFunction("ids", "1.10.0");
        FakeFunction b = rig.function("ids", "1.9.0");
        FakeFunction c = rig.function("ids", "1.10.0.beta1");
        FakeFunction other = rig.function("app-id", "3.0.0");
        rig.register(b);
        rig.register(a);
        rig.register(other);
        long cId = rig.register(c);

        assertThat(rig.registry.definitions()).extracting(ServiceDefinition::id).containsExactly("acme/app-id", "acme/ids");
        ServiceDefinition ids = rig.registry.definition("acme/ids").orElseThrow();
        assertThat(ids.vendor()).isEqualTo("acme");
        assertThat(ids.name()).isEqualTo("ids");
        assertThat(ids.description()).isEqualTo("ids for tests");
        assertThat(ids.instances()).extracting(ServiceInstance::version).containsExactly("1.10.0.beta1", "1.10.0", "1.9.0");
        assertThat(ids.instances().get(0)).satisfies(i -> {
            assertThat(i.serviceId()).isEqualTo(cId);
            assertThat(i.health()).isEqualTo(Health.UP);
            assertThat(i.acceptsFlows()).isTrue();
            assertThat(i.exportsState()).isFalse();
        });
        assertThat(ids.instances().get(1).importsState()).isTrue();
        assertThat(rig.registry.definition("acme/none")).isEmpty();
    }

    @Test
    void aHigherRankingWinsBetweenInstancesOfTheSameVersion() {
        FakeFunction low = rig.function("ids", "1.0.0");
        FakeFunction high = rig.function("ids", "1.0.0");
        rig.registry.add(low, 1, 0);
        rig.registry.add(high, 2, 10);

        assertThat(rig.registry.newestAccepting("acme/ids").service()).isSameAs(high);
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances())
                .extracting(ServiceInstance::serviceId).containsExactly(2L, 1L);
        assertThat(rig.registry.add(rig.function("ids", "9.0.0"), 2, 0)).as("a service id already registered").isFalse();
    }

    @Test
    void listenersHearOfArrivalsDeparturesAndHealthChanges() {
        rig.registry.addListener(events::add);
        rig.registry.addListener(id -> {
            throw new IllegalStateException("a broken listener does not stop the others");
        });
        FakeFunction f = rig.function("ids", "1.0.0");
        long id = rig.register(f);
        rig.registry.pollHealth();
        f.health = Health.DEGRADED;
        rig.registry.pollHealth();
        rig.registry.remove(id);
        rig.registry.remove(id);

        assertThat(events).containsExactly("acme/ids", "acme/ids", "acme/ids");
        assertThat(rig.registry.definitions()).isEmpty();
    }

    @Test
    void aHealthPollThatHangsOrFailsCountsAsDown() {
        FakeFunction f = rig.function("ids", "1.0.0");
        rig.register(f);
        assertThat(rig.registry.newestAccepting("acme/ids")).isNotNull();

        f.healthHangs = true;
        long start = System.nanoTime();
        rig.registry.pollHealth();
        rig.registry.pollHealth(); // the hung poll is waited for again, not piled up
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances().get(0).health()).isEqualTo(Health.DOWN);
        assertThat(rig.registry.newestAccepting("acme/ids")).isNull();

        f.healthHangs = false;
        rig.hang.countDown();
        f.health = null;
        rig.registry.pollHealth();
        rig.registry.pollHealth();
        assertThat(rig.registry.definition("acme/ids").orElseThrow().instances().get(0).health()).isEqualTo(Health.DOWN);

        f.health = Health.DEGRADED;
        rig.registry.pollHealth();
        assertThat(rig.registry.definition("acme/ids").orElseThrow().available()).isTrue();
    }

    @Test
    void anInstanceWhoseDescriptorCannotBeReadIsRefused() {
        InspectionService broken = new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                throw new IllegalStateException("not configured");
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                throw new AssertionError("never opened");
            }
        };
        rig.registry.addListener(events::add);

        assertThat(rig.registry.add(broken, 7, 0)).isFalse();
        assertThat(rig.registry.definitions()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void aClosedRegistryTakesNoInstances() {
        rig.registry.close();
        assertThat(rig.registry.add(rig.function("ids", "1.0.0"), 1, 0)).isFalse();
        assertThat(rig.registry.definitions()).isEqualTo(List.of());
    }
}
