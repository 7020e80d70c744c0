package io.ringfence.rest.internal;

import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/**
 * A JAAS realm for tests outside Karaf: a real LoginModule that yields Karaf's principal types,
 * so the API's JAAS authenticator runs exactly as in the container.
 */
public final class TestUsers implements LoginModule {

    /** user -> {password, roles...} */
    static final Map<String, String[]> USERS = Map.of(
            "admin", new String[] {"admin", "admin"},
            "auditor", new String[] {"auditor", "auditor"},
            "appliance", new String[] {"appliance", "appliance"},
            "appliance2", new String[] {"appliance2", "appliance"},
            "nobody", new String[] {"nobody"});

    private Subject subject;
    private CallbackHandler handler;
    private String user;

    /** A JAAS configuration whose every realm is this module. */
    public static Configuration configuration() {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(TestUsers.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        };
    }

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException(e.getMessage());
        }
        String[] entry = USERS.get(name.getName());
        if (entry == null || !entry[0].equals(new String(password.getPassword()))) {
            throw new FailedLoginException("wrong user or password");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().add(new UserPrincipal(user));
        String[] entry = USERS.get(user);
        for (int i = 1; i < entry.length; i++) {
            subject.getPrincipals().add(new RolePrincipal(entry[i]));
        }
        return true;
    }

    @Override
    public boolean abort() {
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeIf(p -> p instanceof UserPrincipal || p instanceof RolePrincipal);
        return true;
    }

    static Set<String> names() {
        return USERS.keySet();
    }
}
