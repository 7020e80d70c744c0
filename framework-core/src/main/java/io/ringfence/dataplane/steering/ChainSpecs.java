package io.ringfence.dataplane.steering;

import io.ringfence.insertion.ChainHop;
import io.ringfence.insertion.ChainSpec;
import io.ringfence.insertion.FailurePolicy;
import io.ringfence.insertion.ProfileValidation;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.model.Kind;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The service chains of one model revision as the runtime steers flows through them: one
 * {@link ChainSpec} per chain, its profiles validated against the schemas of the definitions
 * registered at build time. Immutable; rebuilt when the model or the registered definitions change.
 *
 * <h2>Profiles that cannot be validated</h2>
 * A profile whose values do not fit the schema of the registered definition (a new version changed
 * it), or whose definition has never been registered, becomes an {@link ChainHop#unusable unusable}
 * hop: the chain's failure policy decides the packets that reach it, for the life of the flows
 * steered while it was so. The admin API refuses such profiles as they are written; a chain that
 * silently skipped the hop would fail open where its admin asked for fail-closed.
 *
 * <p>A definition that leaves (its last instance unregistered, as during a bundle update) keeps the
 * profiles last validated against it, for as long as they are unchanged: the hop stays usable, the
 * runtime applies the failure policy while no instance is there ({@code MISSING_INSTANCE}) and opens
 * a session on the flow's next packet once one registers. So a flow that starts during an update is
 * inspected once the new version is up, rather than held under the failure policy for its whole life.
 */
final class ChainSpecs {

    private static final System.Logger LOG = System.getLogger(ChainSpecs.class.getName());

    static final ChainSpecs NONE = new ChainSpecs(Map.of(), Map.of());

    /** A profile as validated: the model's profile it was validated from, and the hop. */
    private record Validated(ServiceProfile source, ChainHop hop) {
    }

    private final Map<String, ChainSpec> byChain;
    /** The usable hops by profile id, for the next build to keep while their definition is away. */
    private final Map<String, Validated> validated;

    private ChainSpecs(Map<String, ChainSpec> byChain, Map<String, Validated> validated) {
        this.byChain = byChain;
        this.validated = validated;
    }

    /** The spec of a chain, if the model has it. */
    ChainSpec get(String chainId) {
        return byChain.get(chainId);
    }

    /**
     * The specs of every chain of {@code model}, with the definitions {@code registry} has now and the
     * profiles {@code previous} validated against definitions that have left since.
     */
    static ChainSpecs build(ModelSnapshot model, ServiceDefinitionRegistry registry, ChainSpecs previous) {
        Map<String, ChainHop> hops = new HashMap<>();
        Map<String, Validated> validated = new HashMap<>();
        Map<String, ChainSpec> specs = new HashMap<>();
        // one hop per profile, shared by the chains and paths that name it
        Function<String, ChainHop> hopOf = profileId -> hops.computeIfAbsent(profileId,
                id -> hop(model, registry, id, previous, validated));
        for (ServiceChain chain : model.serviceChains()) {
            try {
                List<ChainHop> forward = chain.profiles().stream().map(hopOf).toList();
                List<ChainHop> reverse = chain.replyPath().stream().map(hopOf).toList();
                specs.put(chain.id(), new ChainSpec(chain.id(), forward, reverse,
                        chain.failurePolicy() == io.ringfence.model.FailurePolicy.ALLOW
                                ? FailurePolicy.ALLOW : FailurePolicy.BLOCK,
                        Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(chain.deadlineMicros()))));
            } catch (IllegalArgumentException e) {
                // the model validates chains; one it let through that the runtime refuses steers nothing
                LOG.log(System.Logger.Level.ERROR, "service chain " + chain.id() + " cannot be steered through", e);
            }
        }
        return new ChainSpecs(Map.copyOf(specs), Map.copyOf(validated));
    }

    private static ChainHop hop(ModelSnapshot model, ServiceDefinitionRegistry registry, String profileId,
                                ChainSpecs previous, Map<String, Validated> validated) {
        ServiceProfile profile = model.find(Kind.SERVICE_PROFILE, profileId)
                .orElseThrow(() -> new IllegalArgumentException("no service profile " + profileId));
        Optional<ServiceDefinition> definition = registry.definition(profile.definition());
        if (definition.isEmpty()) {
            Validated before = previous.validated.get(profileId);
            if (before != null && before.source().equals(profile)) {
                validated.put(profileId, before); // away for now: the runtime waits for an instance
                return before.hop();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "service profile " + profileId + ": definition "
                    + profile.definition() + " has never been registered; the failure policy decides at its hops");
            return ChainHop.unusable(profileId, profile.definition());
        }
        ProfileValidation.Result result = ProfileValidation.validate(definition.get().profileSchema(), profileId,
                profile.name(), profile.values());
        if (!result.valid()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "service profile " + profileId + " does not fit the schema of "
                    + profile.definition() + " as registered now " + result.violations()
                    + "; the failure policy decides at its hops");
            return ChainHop.unusable(profileId, profile.definition());
        }
        ChainHop hop = new ChainHop(profileId, profile.definition(), result.profile());
        validated.put(profileId, new Validated(profile, hop));
        return hop;
    }
}
