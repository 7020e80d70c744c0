package io.ringfence.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Action;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.store.InMemoryModelStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo data center as the compiler sees it: a readable end-to-end check of split and smear. */
class DemoCompilesTest {

    @Test
    void webTierTablesAndAnIncrementalRetag() {
        ModelManager manager = new ModelManager(new InMemoryModelStore(), Clock.systemUTC());
        DemoDataCenter.read().loadInto(manager, manager);
        PolicyCompiler compiler = new PolicyCompiler(manager.snapshot());
        manager.addListener(compiler);
        List<HostDelta> esx01 = new ArrayList<>();
        compiler.attach("esx-01", esx01::add);

        VnicRuleSet web = compiler.ruleSet("web-01-nic0").orElseThrow();
        assertThat(ids(web.in())).containsExactly("ssh-from-jump", "ping", "dev-not-prod", "web-in");
        assertThat(ids(web.out())).contains("dns", "ping", "prod-not-dev", "web-to-app").doesNotContain("app-to-db");
        CompiledRule toApp = web.out().stream().filter(r -> r.ruleId().equals("web-to-app")).findFirst().orElseThrow();
        assertThat(toApp.remote()).isEqualTo("app-prod");
        assertThat(compiler.addressGroup("app-prod").orElseThrow().addresses().toPrefixes()).hasSize(4);
        assertThat(web.defaultAction()).isEqualTo(Action.DROP);
        assertThat(esx01).hasSize(1);
        assertThat(esx01.get(0).full()).isTrue();

        // quarantine web-01: the emergency rules land on it, ahead of everything else
        Vm vm = manager.find(Kind.VM, "web-01").orElseThrow();
        List<String> tags = new ArrayList<>(vm.tags());
        tags.add("security:quarantine");
        manager.replace(Kind.VM, "web-01", new Vm(vm.id(), vm.name(), vm.hostId(), vm.os(), tags, vm.vnics(), 0), null, "test");

        VnicRuleSet quarantined = compiler.ruleSet("web-01-nic0").orElseThrow();
        assertThat(quarantined.generation()).isGreaterThan(web.generation());
        assertThat(quarantined.out().get(0).ruleId()).isEqualTo("quarantine-out");
        assertThat(quarantined.in().get(0).ruleId()).isEqualTo("quarantine-in");
        assertThat(compiler.ruleSet("app-01-nic0").orElseThrow().generation()).isEqualTo(web.generation());
        assertThat(esx01).hasSize(2);
        assertThat(esx01.get(1).ruleSets()).extracting(VnicRuleSet::vnicId).containsExactly("web-01-nic0");
        assertThat(compiler.members("quarantine").vms()).extracting(m -> m.id()).containsExactly("web-01");
    }

    private static List<String> ids(List<CompiledRule> rules) {
        return rules.stream().map(CompiledRule::ruleId).toList();
    }
}
