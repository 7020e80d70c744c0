package io.ringfence.insertion.internal;

import io.ringfence.insertion.ProfileValidation;
import io.ringfence.insertion.ProfileViolation;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.Violation;
import io.ringfence.model.ServiceProfile;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks admins' service profiles against what partners registered: the definition must have an
 * instance in the registry, and the values must fit that definition's profile schema (as
 * {@link ProfileValidation} reads them, the way the runtime will). A profile without a definition
 * id is left to the model's own check, which names the field.
 *
 * <p>The schema is the newest registered instance's: while two versions of a function run side by
 * side, a profile is written for the one new flows go to.
 */
public final class PartnerProfileValidator implements ServiceProfileValidator {

    private final ServiceDefinitionRegistry definitions;

    public PartnerProfileValidator(ServiceDefinitionRegistry definitions) {
        this.definitions = definitions;
    }

    @Override
    public List<Violation> validate(ServiceProfile profile) {
        String definitionId = profile.definition();
        if (definitionId == null || definitionId.isBlank()) {
            return List.of();
        }
        Optional<ServiceDefinition> definition = definitions.definition(definitionId);
        if (definition.isEmpty()) {
            return List.of(new Violation("/definition", "no partner registers the service definition '"
                    + definitionId + "'; registered: " + registered()));
        }
        return ProfileValidation.validate(definition.get().profileSchema(), profile.id(), profile.name(),
                        profile.values()).violations().stream()
                .map(PartnerProfileValidator::violation)
                .toList();
    }

    private String registered() {
        String ids = definitions.definitions().stream().map(ServiceDefinition::id).collect(Collectors.joining(", "));
        return ids.isEmpty() ? "none" : ids;
    }

    private static Violation violation(ProfileViolation v) {
        // a JSON pointer token (RFC 6901): an unknown parameter's name is whatever the admin wrote
        return new Violation("/values/" + v.parameter().replace("~", "~0").replace("/", "~1"), v.message());
    }
}
