package io.ringfence.rest.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.PolicyPreview;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.internal.ModelManager;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.Vm;
import io.ringfence.model.json.ModelJson;
import io.ringfence.store.jdbc.JdbcModelStore;
import io.ringfence.store.jdbc.SchemaMigrator;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Effective rules read the tables and the address groups they name in separate calls: a change
 * coming between must not produce an answer mixing two generations. Deterministic: the compiler
 * is made to report a change exactly where the test wants it.
 */
class EffectiveRulesResourceTest {

    private static final ObjectMapper JSON = ModelJson.mapper();

    private ModelManager manager;
    private PolicyCompiler real;

    @BeforeEach
    void model() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate();
        manager = new ModelManager(new JdbcModelStore(ds), Clock.systemUTC());
        manager.create(Kind.HOST, JSON.readValue("{\"id\":\"h1\",\"name\":\"h1\"}", Host.class), "test");
        manager.create(Kind.VM, JSON.readValue("""
                {"id":"vm-1","name":"vm-1","hostId":"h1","tags":["app:web"],
                 "vnics":[{"mac":"02:00:00:00:00:01","addresses":["10.0.0.1"]}]}""", Vm.class), "test");
        manager.create(Kind.GROUP, JSON.readValue("""
                {"id":"admins","name":"admins","addresses":["192.0.2.0/24"]}""", Group.class), "test");
        manager.create(Kind.GROUP, JSON.readValue("""
                {"id":"web","name":"web","criteria":{"attribute":"TAG","operator":"EQUALS","value":"app:web"}}""",
                Group.class), "test");
        manager.create(Kind.POLICY, JSON.readValue("""
                {"id":"p","name":"p","category":"APPLICATION","rules":[
                  {"id":"ssh","sources":["admins"],"destinations":["web"],"action":"ALLOW","direction":"IN"}]}""",
                Policy.class), "test");
        real = new PolicyCompiler(manager.snapshot());
    }

    @Test
    void aChangeBetweenTheReadsIsReadAgain() {
        long g = real.generation();
        // the generation moves during the first attempt, then holds
        Racing compiler = new Racing(real, g, g + 1, g + 1, g + 1);
        EffectiveRules rules = new EffectiveRulesResource(manager, compiler).effectiveRules("vm-1");
        assertThat(compiler.generations).isEmpty();
        assertThat(rules.generation()).isEqualTo(g + 1);
        EffectiveRules.RemoteSide remote = rules.vnics().get(0).in().get(0).remote();
        assertThat(remote.addressGroupId()).isEqualTo("admins");
        assertThat(remote.addresses()).hasToString("[192.0.2.0/24]");
    }

    @Test
    void anAddressGroupGoneBetweenTheReadsIsReadAgain() {
        long g = real.generation();
        Racing compiler = new Racing(real, g, g, g, g);
        compiler.missingAddressGroups = 1;
        EffectiveRules rules = new EffectiveRulesResource(manager, compiler).effectiveRules("vm-1");
        assertThat(compiler.missingAddressGroups).isZero();
        assertThat(rules.vnics().get(0).in().get(0).remote().addresses()).hasToString("[192.0.2.0/24]");
    }

    @Test
    void aCompilerThatNeverHoldsStillIsA503() {
        long g = real.generation();
        Racing compiler = new Racing(real, g, g + 1, g + 2, g + 3, g + 4, g + 5);
        assertThatThrownBy(() -> new EffectiveRulesResource(manager, compiler).effectiveRules("vm-1"))
                .isInstanceOfSatisfying(WebApplicationException.class, e -> {
                    assertThat(e.getResponse().getStatus()).isEqualTo(503);
                    assertThat(e.getResponse().getHeaderString("Retry-After")).isEqualTo("1");
                });
    }

    /** The real compiler, but with the generations it reports, and address groups it misses, scripted. */
    private static final class Racing implements PolicyCompilerService {
        final PolicyCompiler real;
        final Deque<Long> generations;
        int missingAddressGroups;

        Racing(PolicyCompiler real, Long... generations) {
            this.real = real;
            this.generations = new ArrayDeque<>(List.of(generations));
        }

        @Override
        public long generation() {
            return generations.remove();
        }

        @Override
        public Optional<VnicRuleSet> ruleSet(String vnicId) {
            return real.ruleSet(vnicId);
        }

        @Override
        public List<VnicRuleSet> ruleSetsOfVm(String vmId) {
            return real.ruleSetsOfVm(vmId);
        }

        @Override
        public List<VnicRuleSet> ruleSetsOfRule(String ruleId) {
            return real.ruleSetsOfRule(ruleId);
        }

        @Override
        public List<VnicRuleSet> ruleSetsOfPolicy(String policyId) {
            return real.ruleSetsOfPolicy(policyId);
        }

        @Override
        public Optional<AddressGroup> addressGroup(String id) {
            if (missingAddressGroups > 0) {
                missingAddressGroups--;
                return Optional.empty();
            }
            return real.addressGroup(id);
        }

        @Override
        public Members members(String groupId) {
            return real.members(groupId);
        }

        @Override
        public void attach(String hostId, HostRuleSetConsumer consumer) {
            real.attach(hostId, consumer);
        }

        @Override
        public void detach(String hostId, HostRuleSetConsumer consumer) {
            real.detach(hostId, consumer);
        }

        @Override
        public PolicyPreview preview(ModelSnapshot proposed) {
            return real.preview(proposed);
        }

        @Override
        public CompilerStats stats() {
            return real.stats();
        }
    }
}
