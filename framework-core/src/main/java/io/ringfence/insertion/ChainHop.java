package io.ringfence.insertion;

import io.ringfence.spi.inspection.Profile;

/**
 * One function of a chain: a profile of a service definition.
 *
 * @param profileId    the profile's id; identifies the hop within its chain
 * @param definitionId the service definition the profile configures ({@code vendor/name})
 * @param profile      the profile, validated against the definition's schema ({@link ProfileValidation}); null
 *                     for an {@link #unusable} hop
 */
public record ChainHop(String profileId, String definitionId, Profile profile) {

    /** @throws IllegalArgumentException if the profile id or the definition id is missing */
    public ChainHop {
        if (profileId == null || profileId.isBlank() || definitionId == null || definitionId.isBlank()) {
            throw new IllegalArgumentException("a hop has a profile id and a definition id");
        }
    }

    /**
     * A hop whose profile could not be validated when the chain was built (its definition was not
     * registered, or its values do not fit the definition's schema): no function is ever called at it,
     * the chain's failure policy decides every packet that reaches it
     * ({@link HopOutcome#INVALID_PROFILE}).
     *
     * @since 0.2.0
     */
    public static ChainHop unusable(String profileId, String definitionId) {
        return new ChainHop(profileId, definitionId, null);
    }

    /**
     * True when the hop has a validated profile, so that a function can be called at it.
     *
     * @since 0.2.0
     */
    public boolean usable() {
        return profile != null;
    }
}
