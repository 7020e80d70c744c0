package io.ringfence.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Policy;
import io.ringfence.model.Rule;
import io.ringfence.model.Vm;
import io.ringfence.net.AddressSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks of a compiler's state against the {@link ReferenceCompiler}, with readable failure messages. */
final class CompilerAssertions {

    private CompilerAssertions() {
    }

    /**
     * The compiler holds exactly the oracle's tables for every vNIC of {@code model} (generations
     * aside), every address group they refer to with exactly the oracle's addresses, the VMs' tables
     * in vNIC order, and size figures that agree.
     *
     * @param context prefixed to every failure message (the seed and step of a property test)
     */
    static void assertMatchesOracle(PolicyCompilerService compiler, ModelSnapshot model, ReferenceCompiler.Result oracle,
                                    String context) {
        for (VnicRuleSet want : oracle.ruleSets().values()) {
            Optional<VnicRuleSet> got = compiler.ruleSet(want.vnicId());
            if (got.isEmpty()) {
                fail(context + ": no rule set for vNIC " + want.vnicId() + "; expected\n" + describe(want));
            }
            assertSameTable(got.get(), want, context);
        }
        for (Vm vm : model.vms()) {
            List<String> got = compiler.ruleSetsOfVm(vm.id()).stream().map(VnicRuleSet::vnicId).toList();
            assertThat(got).as("%s: ruleSetsOfVm(%s) in vNIC order", context, vm.id())
                    .isEqualTo(oracle.vnicsByVm().get(vm.id()));
            for (VnicRuleSet rs : compiler.ruleSetsOfVm(vm.id())) {
                assertSameTable(rs, oracle.ruleSets().get(rs.vnicId()), context + " (ruleSetsOfVm " + vm.id() + ")");
            }
        }
        // the tables holding each rule and each policy, against a scan of the oracle's tables
        Map<String, Set<String>> byRule = new HashMap<>();
        Map<String, Set<String>> byPolicy = new HashMap<>();
        for (VnicRuleSet want : oracle.ruleSets().values()) {
            for (List<CompiledRule> side : List.of(want.in(), want.out())) {
                for (CompiledRule e : side) {
                    byRule.computeIfAbsent(e.ruleId(), k -> new TreeSet<>()).add(want.vnicId());
                    byPolicy.computeIfAbsent(e.policyId(), k -> new TreeSet<>()).add(want.vnicId());
                }
            }
        }
        for (Policy policy : model.policies()) {
            assertThat(compiler.ruleSetsOfPolicy(policy.id())).extracting(VnicRuleSet::vnicId)
                    .as("%s: ruleSetsOfPolicy(%s)", context, policy.id())
                    .containsExactlyElementsOf(byPolicy.getOrDefault(policy.id(), Set.of()));
            for (Rule rule : policy.rules()) {
                assertThat(compiler.ruleSetsOfRule(rule.id())).extracting(VnicRuleSet::vnicId)
                        .as("%s: ruleSetsOfRule(%s)", context, rule.id())
                        .containsExactlyElementsOf(byRule.getOrDefault(rule.id(), Set.of()));
            }
        }
        for (Map.Entry<String, AddressSet> e : oracle.addressGroups().entrySet()) {
            Optional<AddressGroup> got = compiler.addressGroup(e.getKey());
            if (got.isEmpty()) {
                fail(context + ": address group " + e.getKey() + " is referred to but missing; expected "
                        + e.getValue());
            }
            assertThat(got.get().addresses()).as("%s: addresses of address group %s", context, e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(got.get().id()).as("%s: id of address group %s", context, e.getKey()).isEqualTo(e.getKey());
            assertThat(got.get().groupIds()).as("%s: groupIds of address group %s", context, e.getKey())
                    .isEqualTo(List.copyOf(new TreeSet<>(got.get().groupIds())))
                    .isEqualTo(List.of(e.getKey().split("\\+")));
        }
        PolicyCompilerService.CompilerStats stats = compiler.stats();
        assertThat(stats.vnics()).as("%s: stats().vnics()", context).isEqualTo(oracle.ruleSets().size());
        assertThat(stats.entries()).as("%s: stats().entries()", context).isEqualTo(oracle.entries());
        // "address groups referred to": at least those the tables refer to, at most those the enabled
        // rules name (an implementation may keep the address group of a rule that lands nowhere)
        assertThat(stats.addressGroups()).as("%s: stats().addressGroups() (tables refer to %s; rules name %s)", context,
                oracle.addressGroups().keySet(), oracle.ruleRemotes())
                .isBetween(oracle.addressGroups().size(), oracle.ruleRemotes().size());
        assertThat(stats.generation()).as("%s: stats().generation()", context).isEqualTo(compiler.generation());
    }

    /** Same table, generation aside, with the difference spelled out when not. */
    static void assertSameTable(VnicRuleSet got, VnicRuleSet want, String context) {
        if (!want.sameRulesAs(got)) {
            fail(context + ": table of vNIC " + want.vnicId() + " differs\n  expected:\n" + describe(want)
                    + "\n  actual:\n" + describe(got));
        }
    }

    /** A table, one entry a line. */
    static String describe(VnicRuleSet rs) {
        if (rs == null) {
            return "    (none)";
        }
        return "    vnic=" + rs.vnicId() + " vm=" + rs.vmId() + " host=" + rs.hostId() + " gen=" + rs.generation()
                + " default=" + rs.defaultAction() + (rs.defaultLogged() ? " logged" : "")
                + "\n    IN:\n" + describe(rs.in()) + "\n    OUT:\n" + describe(rs.out());
    }

    static String describe(List<CompiledRule> entries) {
        if (entries.isEmpty()) {
            return "      -";
        }
        return entries.stream().map(e -> "      " + describe(e)).collect(Collectors.joining("\n"));
    }

    static String describe(CompiledRule e) {
        return e.category() + "/" + e.policyId() + "#" + e.policySequence() + " " + e.ruleId() + "#" + e.ruleSequence()
                + " " + e.direction() + " " + e.action() + (e.logged() ? " logged" : "") + (e.staged() ? " staged" : "")
                + (e.tag() != null ? " tag=" + e.tag() : "")
                + " remote=" + (e.remoteNegated() ? "!" : "") + (e.remote() == null ? "ANY" : e.remote())
                + (e.services().isEmpty() ? "" : " services=" + e.services());
    }
}
