package io.ringfence.dataplane.sim.osgi;

import static io.ringfence.model.InsertionFixtures.profile;
import static io.ringfence.model.InsertionFixtures.redirect;
import static io.ringfence.model.InsertionFixtures.redirectionPolicy;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.policy;
import static io.ringfence.model.ModelFixtures.rule;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.dataplane.target.FeedRegistry;
import io.ringfence.insertion.internal.FunctionRegistry;
import io.ringfence.insertion.internal.InsertionConfig;
import io.ringfence.insertion.internal.ServiceInsertionManager;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.Kind;
import io.ringfence.model.ServiceChain;
import io.ringfence.redirection.internal.RedirectionManager;
import io.ringfence.spi.inspection.AlertSink;
import io.ringfence.spi.inspection.FlowContext;
import io.ringfence.spi.inspection.InspectionDescriptor;
import io.ringfence.spi.inspection.InspectionService;
import io.ringfence.spi.inspection.InspectionSession;
import io.ringfence.spi.inspection.Profile;
import io.ringfence.spi.inspection.Verdict;
import io.ringfence.store.InMemoryModelStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DS wiring of steering, driven by hand as SCR would: the data center steers while the redirection
 * table, the runtime and its registry are all bound, stops when one leaves, and a replacement bound
 * before the old service is unbound takes over at once.
 */
class OSGiSimulatedDataCenterTest {

    private final ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    private final PolicyCompiler compiler;
    private final RedirectionManager redirection;
    private final FunctionRegistry registry = new FunctionRegistry(InsertionConfig.DEFAULTS);
    private final ServiceInsertionManager insertion = new ServiceInsertionManager(registry);
    private final FeedRegistry feeds;
    private final OSGiSimulatedDataCenter component;
    private int port = 40000;

    OSGiSimulatedDataCenterTest() {
        manager.create(Kind.HOST, host("h1"), "t");
        manager.create(Kind.VM, vm("web1", "web1", "h1", null, List.of("app:web"),
                vnic("02:00:00:00:00:01", "web", "10.0.1.1")), "t");
        manager.create(Kind.GROUP, group("g-web").criteria(tagEquals("app:web")).build(), "t");
        manager.create(Kind.POLICY, policy("p1", Category.APPLICATION, 10,
                rule("out").sources("g-web").action(Action.ALLOW).build()), "t");
        manager.create(Kind.SERVICE_PROFILE, profile("ids", "acme/ids", Map.of()), "t");
        manager.create(Kind.SERVICE_CHAIN, new ServiceChain("c", "c", null, List.of("ids"), null, FailurePolicy.BLOCK,
                ServiceChain.MAX_DEADLINE_MICROS, 0), "t");
        manager.create(Kind.REDIRECTION_POLICY, redirectionPolicy("steer", 10,
                redirect("all-out", "c").sources("g-web").direction(Direction.OUT).build()), "t");
        compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        redirection = new RedirectionManager(compiler);
        manager.addListener(redirection);
        feeds = new FeedRegistry(compiler, manager);
        component = new OSGiSimulatedDataCenter(defaults(), feeds);
        manager.addListener(component);
        registry.add(ids(), 1, 0);
        long revision = manager.snapshot().revision();
        await().atMost(Duration.ofSeconds(10)).until(() -> redirection.revision() == revision && feeds.inSync()
                && feeds.status("agent:h1").isPresent());
    }

    @AfterEach
    void tearDown() {
        component.deactivate();
        feeds.close();
        redirection.close();
        registry.close();
    }

    private static OSGiSimulatedDataCenter.Configuration defaults() {
        return (OSGiSimulatedDataCenter.Configuration) Proxy.newProxyInstance(
                OSGiSimulatedDataCenterTest.class.getClassLoader(),
                new Class<?>[] {OSGiSimulatedDataCenter.Configuration.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    private static InspectionService ids() {
        InspectionDescriptor d = new InspectionDescriptor("acme", "ids", "1.0.0", "", null, false, false);
        return new InspectionService() {
            @Override
            public InspectionDescriptor descriptor() {
                return d;
            }

            @Override
            public InspectionSession open(FlowContext flow, Profile profile, AlertSink alerts) {
                return packet -> Verdict.PASS;
            }
        };
    }

    /** The chain a new flow leaving web1 goes through, null for none. */
    private String chainOfANewFlow() {
        return component.process("web1-nic0", Direction.OUT, Packet.tcp("10.0.1.1", port++, "10.0.2.1", 443, Packet.SYN))
                .chainId();
    }

    @Test
    void itSteersWhileTheThreeServicesAreBound() {
        assertThat(chainOfANewFlow()).isNull();
        component.bindRedirection(redirection);
        component.bindInsertion(insertion);
        assertThat(chainOfANewFlow()).isNull();

        component.bindDefinitions(registry);
        assertThat(chainOfANewFlow()).isEqualTo("c");

        component.unbindInsertion(insertion);
        assertThat(chainOfANewFlow()).isNull();
    }

    @Test
    void aReplacementBoundBeforeTheOldOneLeavesTakesOver() {
        component.bindRedirection(redirection);
        component.bindInsertion(insertion);
        component.bindDefinitions(registry);
        ServiceInsertionManager replacement = new ServiceInsertionManager(registry);

        component.bindInsertion(replacement);
        component.unbindInsertion(insertion); // late: changes nothing

        assertThat(chainOfANewFlow()).isEqualTo("c");
        assertThat(replacement.chainStats("c")).isPresent();
    }
}
