package io.ringfence.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/**
 * Authenticates against a JAAS realm (Karaf's {@code karaf} realm by default) and reads the
 * user's roles from the Karaf role principals of the resulting subject.
 *
 * <p>Successful logins are remembered for a short time, keyed by user and a salted hash of the
 * password: a JAAS login reads the user store on every call, which an API client sending Basic
 * credentials with each request would otherwise pay for every time. Failed logins are never
 * cached, and a changed password takes effect when the entry expires.
 */
public final class JaasAuthenticator implements Authenticator {

    private static final int MAX_CACHED = 1024;

    private final String realm;
    private final Configuration configuration;
    private final Duration cacheFor;
    private final Clock clock;
    private final byte[] salt = new byte[16];
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param realm         JAAS realm name
     * @param configuration the JAAS configuration, or null for the JVM-wide one (as in Karaf)
     * @param cacheFor      how long a successful login is remembered
     */
    public JaasAuthenticator(String realm, Configuration configuration, Duration cacheFor, Clock clock) {
        this.realm = realm;
        this.configuration = configuration;
        this.cacheFor = cacheFor;
        this.clock = clock;
        new java.security.SecureRandom().nextBytes(salt);
    }

    @Override
    public Optional<User> authenticate(String username, char[] password) {
        String key = username + '\u0000' + digest(password);
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.until.isAfter(now)) {
            return Optional.of(hit.user);
        }
        Optional<User> user = login(username, password);
        if (user.isPresent() && !cacheFor.isZero()) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, new Cached(user.get(), now.plus(cacheFor)));
        }
        return user;
    }

    private Optional<User> login(String username, char[] password) {
        Subject subject = new Subject();
        // Karaf's login modules are found through the realm's own class loading; the context
        // class loader must not be whatever thread happens to serve the request
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (var cb : callbacks) {
                    if (cb instanceof NameCallback n) {
                        n.setName(username);
                    } else if (cb instanceof PasswordCallback p) {
                        p.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(cb);
                    }
                }
            }, configuration);
            context.login();
            Set<String> roles = new HashSet<>();
            String name = username;
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof RolePrincipal) {
                    roles.add(p.getName());
                } else if (p instanceof UserPrincipal) {
                    name = p.getName();
                }
            }
            try {
                context.logout();
            } catch (LoginException ignored) {
                // the subject is discarded anyway
            }
            return Optional.of(new User(name, roles));
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private String digest(char[] password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Cached(User user, Instant until) {
    }
}
