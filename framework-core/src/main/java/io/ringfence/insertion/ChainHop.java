package io.ringfence.insertion;

import io.ringfence.spi.inspection.Profile;

/**
 * One function of a chain: a profile of a service definition.
 *
 * @param profileId    the profile's id; identifies the hop within its chain
 * @param definitionId the service definition the profile configures ({@code vendor/name})
 * @param profile      the profile, validated against the definition's schema ({@link ProfileValidation})
 */
public record ChainHop(String profileId, String definitionId, Profile profile) {

    /** @throws IllegalArgumentException if a field is missing */
    public ChainHop {
        if (profileId == null || profileId.isBlank() || definitionId == null || definitionId.isBlank()
                || profile == null) {
            throw new IllegalArgumentException("a hop has a profile id, a definition id and a profile");
        }
    }
}
