package io.ringfence.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Kind;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DemoDataCenterTest {

    @Test
    void loadsIntoANewInstallationThroughTheValidatingManager() {
        ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
        DemoDataCenter demo = DemoDataCenter.read();

        assertThat(demo.loadInto(manager, manager)).isTrue();

        var model = manager.snapshot();
        assertThat(model.hosts()).hasSize(demo.hosts().size()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(model.vms()).hasSize(demo.vms().size());
        assertThat(model.policies()).hasSize(4);
        assertThat(model.defaultRule().action()).isEqualTo(Action.DROP);
        // the dynamic groups resolve to the VMs their tags describe
        assertThat(manager.members("web-prod").vms()).extracting(m -> m.id()).containsExactly("web-01", "web-02");
        assertThat(manager.members("shop").vms()).hasSize(5);
        assertThat(manager.members("quarantine").vms()).isEmpty();
        assertThat(model.find(Kind.POLICY, "shop").orElseThrow().rules()).hasSize(5);
    }

    @Test
    void neverLoadsTwiceNorIntoAChangedInstallation() {
        InMemoryModelStore store = new InMemoryModelStore();
        ModelManager manager = new ModelManager(store, Clock.systemUTC());
        assertThat(DemoDataCenter.read().loadInto(manager, manager)).isTrue();
        long revision = manager.snapshot().revision();

        ModelManager restarted = new ModelManager(store, Clock.systemUTC());
        assertThat(DemoDataCenter.read().loadInto(restarted, restarted)).isFalse();
        assertThat(restarted.snapshot().revision()).isEqualTo(revision);
    }
}
