package io.ringfence.manager;

import io.ringfence.model.ServiceProfile;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks what the model alone cannot about a service profile: that its definition is registered
 * by a partner and that its values fit that definition's profile schema. The model manager checks
 * everything else (syntax of the definition id, references, uniqueness); the admin API asks this
 * before it submits a profile to be created or replaced, so that a refusal changes nothing.
 *
 * @since 0.2.0
 */
@ConsumerType
@FunctionalInterface
public interface ServiceProfileValidator {

    /** Accepts every profile: for as long as no registry of partner definitions is wired in. */
    ServiceProfileValidator ACCEPT_ALL = profile -> List.of();

    /**
     * The reasons {@code profile} is invalid, empty when it is valid.
     *
     * @return violations whose fields are JSON pointers into the profile, e.g. {@code /definition}
     *         or {@code /values/threshold}
     */
    List<Violation> validate(ServiceProfile profile);
}
