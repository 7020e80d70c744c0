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

/**
 * The service chains of one model revision as the runtime steers flows through them: one
 * {@link ChainSpec} per chain, its profiles validated against the schemas of the definitions
 * registered at build time. Immutable; rebuilt when the model or the registered definitions change.
 *
 * <p>A profile that cannot be validated (its definition is not registered, or its values do not fit
 * the schema of the registered version) becomes an {@link ChainHop#unusable unusable} hop: the
 * chain's failure policy decides the packets that reach it, for the life of the flows steered while
 * it was so. The admin API refuses such profiles as they are written; they arise when a partner's
 * bundle leaves or a new version changes its schema, and a chain that silently skipped the hop would
 * fail open where its admin asked for fail-closed.
 */
final class ChainSpecs {

    private static final System.Logger LOG = System.getLogger(ChainSpecs.class.getName());

    static final ChainSpecs NONE = new ChainSpecs(Map.of());

    private final Map<String, ChainSpec> byChain;

    private ChainSpecs(Map<String, ChainSpec> byChain) {
        this.byChain = byChain;
    }

    /** The spec of a chain, if the model has it. */
    ChainSpec get(String chainId) {
        return byChain.get(chainId);
    }

    /** The specs of every chain of {@code model}, with the definitions {@code registry} has now. */
    static ChainSpecs build(ModelSnapshot model, ServiceDefinitionRegistry registry) {
        Map<String, ChainHop> hops = new HashMap<>();
        Map<String, ChainSpec> specs = new HashMap<>();
        for (ServiceChain chain : model.serviceChains()) {
            try {
                List<ChainHop> forward = chain.profiles().stream()
                        .map(p -> hops.computeIfAbsent(p, id -> hop(model, registry, id))).toList();
                List<ChainHop> reverse = chain.replyPath().stream()
                        .map(p -> hops.computeIfAbsent(p, id -> hop(model, registry, id))).toList();
                specs.put(chain.id(), new ChainSpec(chain.id(), forward, reverse,
                        chain.failurePolicy() == io.ringfence.model.FailurePolicy.ALLOW
                                ? FailurePolicy.ALLOW : FailurePolicy.BLOCK,
                        Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(chain.deadlineMicros()))));
            } catch (IllegalArgumentException e) {
                // the model validates chains; one it let through that the runtime refuses steers nothing
                LOG.log(System.Logger.Level.ERROR, "service chain " + chain.id() + " cannot be steered through", e);
            }
        }
        return new ChainSpecs(Map.copyOf(specs));
    }

    private static ChainHop hop(ModelSnapshot model, ServiceDefinitionRegistry registry, String profileId) {
        ServiceProfile profile = model.find(Kind.SERVICE_PROFILE, profileId)
                .orElseThrow(() -> new IllegalArgumentException("no service profile " + profileId));
        Optional<ServiceDefinition> definition = registry.definition(profile.definition());
        if (definition.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "service profile " + profileId + ": definition "
                    + profile.definition() + " is not registered; the failure policy decides at its hops");
            return ChainHop.unusable(profileId, profile.definition());
        }
        ProfileValidation.Result validated = ProfileValidation.validate(definition.get().profileSchema(), profileId,
                profile.name(), profile.values());
        if (!validated.valid()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "service profile " + profileId + " does not fit the schema of "
                    + profile.definition() + " as registered now " + validated.violations()
                    + "; the failure policy decides at its hops");
            return ChainHop.unusable(profileId, profile.definition());
        }
        return new ChainHop(profileId, profile.definition(), validated.profile());
    }
}
