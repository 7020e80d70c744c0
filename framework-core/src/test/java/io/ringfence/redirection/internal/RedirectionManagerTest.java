package io.ringfence.redirection.internal;

import static io.ringfence.model.InsertionFixtures.chain;
import static io.ringfence.model.InsertionFixtures.profile;
import static io.ringfence.model.InsertionFixtures.redirect;
import static io.ringfence.model.InsertionFixtures.redirectionPolicy;
import static io.ringfence.model.ModelFixtures.group;
import static io.ringfence.model.ModelFixtures.host;
import static io.ringfence.model.ModelFixtures.tagEquals;
import static io.ringfence.model.ModelFixtures.vm;
import static io.ringfence.model.ModelFixtures.vnic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.dataplane.packet.Packet;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Direction;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.redirection.ChainSelection;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The table follows the model, whichever of it and the compiler the model manager tells first. */
class RedirectionManagerTest {

    private static final Packet OUT_TO_DB = Packet.tcp("10.0.1.1", 40000, "10.0.2.1", 5432, Packet.SYN);

    private final ModelManager model = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
    private final PolicyCompiler compiler = new PolicyCompiler(model.snapshot());
    private final RedirectionManager redirection = new RedirectionManager(compiler);

    @AfterEach
    void close() {
        redirection.close();
    }

    /** VM app1 (tag app:other) and db1; group web (app:web); chain inspect; web redirected to it. */
    private void dataCenter() {
        model.create(Kind.HOST, host("h1"), "test");
        model.create(Kind.VM, app1("app:other"), "test");
        model.create(Kind.VM, vm("db1", "db1", "h1", null, List.of("app:db"),
                vnic("02:00:00:00:00:02", "db", "10.0.2.1")), "test");
        model.create(Kind.GROUP, group("web").criteria(tagEquals("app:web")).build(), "test");
        model.create(Kind.SERVICE_PROFILE, profile("ids", "acme/ids", Map.of()), "test");
        model.create(Kind.SERVICE_CHAIN, chain("inspect", "ids"), "test");
        model.create(Kind.REDIRECTION_POLICY, redirectionPolicy("steer", 0,
                redirect("web-out", "inspect").sources("web").direction(Direction.OUT).build()), "test");
    }

    private static Vm app1(String tag) {
        return vm("app1", "app1", "h1", null, List.of(tag), vnic("02:00:00:00:00:01", "app", "10.0.1.1"));
    }

    /** What the table answers once it has caught up with the model. */
    private Optional<ChainSelection> selectWhenCurrent(String vnic) {
        ModelSnapshot now = model.snapshot();
        await().atMost(Duration.ofSeconds(10)).until(() -> redirection.revision() == now.revision());
        return redirection.select(vnic, Direction.OUT, OUT_TO_DB);
    }

    @Test
    void aVmMovesInAndOutOfTheRedirectedGroupWithItsTags() {
        model.addListener(compiler);
        model.addListener(redirection);
        dataCenter();
        assertThat(selectWhenCurrent("app1-nic0")).isEmpty();

        model.replace(Kind.VM, "app1", app1("app:web"), null, "test");
        assertThat(selectWhenCurrent("app1-nic0")).contains(new ChainSelection("inspect", "steer", "web-out"));

        model.replace(Kind.VM, "app1", app1("app:other"), null, "test");
        assertThat(selectWhenCurrent("app1-nic0")).isEmpty();
    }

    @Test
    void itCatchesUpWhenToldOfChangesBeforeTheCompiler() {
        model.addListener(redirection);
        model.addListener(compiler);
        dataCenter();
        model.replace(Kind.VM, "app1", app1("app:web"), null, "test");
        assertThat(selectWhenCurrent("app1-nic0")).contains(new ChainSelection("inspect", "steer", "web-out"));
        // every change reaches the table before the compiler, whose membership it must wait for
        model.create(Kind.GROUP, group("db").criteria(tagEquals("app:db")).build(), "test");
        model.createRedirectionRule("steer", redirect("db-out", "inspect").sequence(10).sources("db")
                .direction(Direction.OUT).build(), "test");
        assertThat(selectWhenCurrent("db1-nic0")).map(ChainSelection::ruleId).contains("db-out");
    }

    @Test
    void itStartsFromTheModelOfTheFirstEvent() {
        dataCenter();
        model.replace(Kind.VM, "app1", app1("app:web"), null, "test");
        assertThat(redirection.revision()).isZero();
        PolicyCompiler late = new PolicyCompiler(model.snapshot());
        try (RedirectionManager joining = new RedirectionManager(late)) {
            model.addListener(joining);
            await().atMost(Duration.ofSeconds(10)).until(() -> joining.revision() == model.snapshot().revision());
            assertThat(joining.select("app1-nic0", Direction.OUT, OUT_TO_DB)).isPresent();
        }
    }

    @Test
    void afterCloseItKeepsAnsweringFromItsLastTable() {
        model.addListener(compiler);
        model.addListener(redirection);
        dataCenter();
        model.replace(Kind.VM, "app1", app1("app:web"), null, "test");
        long revision = model.snapshot().revision();
        assertThat(selectWhenCurrent("app1-nic0")).isPresent();
        redirection.close();
        model.replace(Kind.VM, "app1", app1("app:other"), null, "test");
        assertThat(redirection.revision()).isEqualTo(revision);
        assertThat(redirection.select("app1-nic0", Direction.OUT, OUT_TO_DB)).isPresent();
    }
}
