package io.ringfence.dataplane.steering;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.model.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The model's chains as the runtime steers through them: paths, failure policy and deadline carried
 * over, profiles validated against the schema of the registered definition, and a profile that cannot
 * be validated kept as an unusable hop rather than dropped from the chain.
 */
class ChainSpecsTest {

    private final SteeringRig rig = new SteeringRig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private ChainSpec spec(String chainId) {
        return ChainSpecs.build(rig.manager.snapshot(), rig.registry, ChainSpecs.NONE).get(chainId);
    }

    @Test
    void pathsPolicyAndDeadlineComeFromTheModel() {
        rig.register("ids");
        rig.register("av");
        rig.profile("ids", Map.of("mode", "lenient"));
        rig.chain("c", io.ringfence.model.FailurePolicy.ALLOW, 2_500, List.of("av"), "ids", "av");
        rig.chain("d", io.ringfence.model.FailurePolicy.BLOCK, "ids", "av");

        ChainSpec c = spec("c");
        assertThat(c).extracting(ChainSpec::chainId, ChainSpec::failurePolicy, ChainSpec::deadline)
                .containsExactly("c", FailurePolicy.ALLOW, Duration.ofMillis(2).plusNanos(500_000));
        assertThat(c.forward()).extracting(ChainHop::profileId).containsExactly("ids", "av");
        assertThat(c.reverse()).extracting(ChainHop::profileId).containsExactly("av");
        assertThat(c.forward().get(0).profile().values()).isEqualTo(Map.of("mode", "lenient"));
        // without a reverse path, replies retrace the forward path; defaults are filled in
        ChainSpec d = spec("d");
        assertThat(d.failurePolicy()).isEqualTo(FailurePolicy.BLOCK);
        assertThat(d.deadline()).isEqualTo(Duration.ofNanos(SteeringRig.DEADLINE_MICROS * 1000));
        assertThat(d.reverse()).extracting(ChainHop::profileId).containsExactly("av", "ids");
        assertThat(d.forward().get(1).profile().values()).isEqualTo(Map.of("mode", "strict"));
    }

    @Test
    void aProfileOfAnUnregisteredDefinitionOrWithValuesTheSchemaRefusesIsAnUnusableHop() {
        rig.register("ids");
        rig.profile("ids", Map.of("mode", "paranoid"));
        rig.chain("c", io.ringfence.model.FailurePolicy.BLOCK, "ids", "av");

        ChainSpec c = spec("c");

        assertThat(c.forward()).containsExactly(ChainHop.unusable("ids", "acme/ids"), ChainHop.unusable("av", "acme/av"));
        assertThat(c.reverse()).extracting(ChainHop::usable).containsExactly(false, false);
    }

    @Test
    void aDefinitionThatLeavesKeepsTheProfilesLastValidatedAgainstItWhileTheyAreUnchanged() {
        Partner ids = rig.register("ids");
        rig.profile("ids", Map.of("mode", "lenient"));
        rig.chain("c", io.ringfence.model.FailurePolicy.BLOCK, "ids");
        ChainSpecs validated = ChainSpecs.build(rig.manager.snapshot(), rig.registry, ChainSpecs.NONE);
        rig.registry.remove(rig.registry.definition(ids.definitionId()).orElseThrow().instances().get(0).serviceId());

        ChainSpecs away = ChainSpecs.build(rig.manager.snapshot(), rig.registry, validated);
        ChainSpecs stillAway = ChainSpecs.build(rig.manager.snapshot(), rig.registry, away);

        assertThat(stillAway.get("c").forward()).containsExactlyElementsOf(validated.get("c").forward());
        assertThat(stillAway.get("c").forward().get(0).usable()).isTrue();
        // a profile changed while its definition is away cannot be validated
        rig.manager.replace(Kind.SERVICE_PROFILE, "ids", new io.ringfence.model.ServiceProfile("ids", "ids", null,
                "acme/ids", Map.of("mode", "strict"), 0), null, "t");
        assertThat(ChainSpecs.build(rig.manager.snapshot(), rig.registry, stillAway).get("c").forward())
                .containsExactly(ChainHop.unusable("ids", "acme/ids"));
    }

    @Test
    void aChainTheModelNoLongerHasHasNoSpec() {
        rig.register("ids");
        rig.chain("c", io.ringfence.model.FailurePolicy.BLOCK, "ids");
        assertThat(spec("c")).isNotNull();

        rig.manager.delete(Kind.SERVICE_CHAIN, "c", null, "t");

        assertThat(spec("c")).isNull();
    }
}
