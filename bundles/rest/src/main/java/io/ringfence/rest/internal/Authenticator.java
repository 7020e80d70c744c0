package io.ringfence.rest.internal;

import java.util.Optional;
import java.util.Set;

/** Checks a user's credentials and says which roles the user holds. */
@FunctionalInterface
public interface Authenticator {

    /** The authenticated user, or empty when the credentials are wrong. */
    Optional<User> authenticate(String username, char[] password);

    /**
     * An authenticated user.
     *
     * @param name  user name, recorded as the principal in the audit log
     * @param roles role names
     */
    record User(String name, Set<String> roles) {
        public User {
            roles = Set.copyOf(roles);
        }
    }
}
