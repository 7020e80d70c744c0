package io.ringfence.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.FailurePolicy;
import io.ringfence.model.Kind;
import io.ringfence.model.RedirectionAction;
import io.ringfence.model.RedirectionRule;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
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
        // service insertion: a profile of each partner sample, chained, and the web tier's API calls steered to it
        assertThat(model.serviceProfiles()).extracting(ServiceProfile::definition)
                .containsExactlyInAnyOrder("ringfence-samples/l7-appid", "ringfence-samples/ids-signatures");
        ServiceChain chain = model.find(Kind.SERVICE_CHAIN, "web-to-app-inspection").orElseThrow();
        assertThat(chain.profiles()).containsExactly("api-http-only", "shop-ids");
        assertThat(chain.failurePolicy()).isEqualTo(FailurePolicy.ALLOW);
        RedirectionRule steer = model.find(Kind.REDIRECTION_POLICY, "shop-inspection").orElseThrow().rules().get(0);
        assertThat(steer.action()).isEqualTo(RedirectionAction.REDIRECT);
        assertThat(steer.chain()).isEqualTo(chain.id());
        assertThat(steer.services()).containsExactly("app-api");
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
