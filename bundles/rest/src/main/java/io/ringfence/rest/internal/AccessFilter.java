package io.ringfence.rest.internal;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.PathSegment;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic authentication and role-based access: reading needs one of the read roles,
 * changing needs one of the write roles. Runs before anything else looks at the request.
 *
 * <p>Access is decided by the HTTP method, except for the paths in {@link #WRITE_PATHS}: those
 * submit a change without committing it (a preview), and need a write role whatever the method,
 * so that what an auditor may learn does not depend on which method a resource happens to use;
 * and the paths in {@link #READ_PATHS}: those take a body (so are POSTed) but change nothing, and
 * need only a read role.
 *
 * <p>The virtual appliances' endpoints ({@link #APPLIANCES} and below) have rules of their own, so
 * that an appliance's user can be given a role that may do nothing else: registering
 * (POST to the collection), pulling updates and posting acknowledgements need an appliance role;
 * listing and reading need a read role; deleting needs a write or an appliance role (an appliance
 * may deregister itself).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class AccessFilter implements ContainerRequestFilter {

    static final String REALM = "ringfence";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Paths (as segments below the API's base, matrix parameters ignored) that need a write role for any method. */
    static final Set<List<String>> WRITE_PATHS = Set.of(List.of("v1", "policy-preview"));
    /** Paths that only read whatever the method (a traceflow is POSTed but changes nothing). */
    static final Set<List<String>> READ_PATHS = Set.of(List.of("v1", "traceflow"));
    /** The collection of virtual appliances. */
    static final List<String> APPLIANCES = List.of("v1", "enforcement", "appliances");
    /** What an appliance does below its own path. */
    private static final Set<String> APPLIANCE_ACTIONS = Set.of("updates", "acknowledgements");

    private final Authenticator authenticator;
    private final Set<String> readRoles;
    private final Set<String> writeRoles;
    private final Set<String> applianceRoles;
    private final Set<String> removeApplianceRoles;

    AccessFilter(Authenticator authenticator, Set<String> readRoles, Set<String> writeRoles, Set<String> applianceRoles) {
        this.authenticator = authenticator;
        this.readRoles = Set.copyOf(readRoles);
        this.writeRoles = Set.copyOf(writeRoles);
        this.applianceRoles = Set.copyOf(applianceRoles);
        Set<String> remove = new HashSet<>(writeRoles);
        remove.addAll(applianceRoles);
        this.removeApplianceRoles = Set.copyOf(remove);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<Authenticator.User> user = credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(c -> authenticator.authenticate(c[0], c[1].toCharArray()));
        if (user.isEmpty()) {
            request.abortWith(Response.fromResponse(Problems.response(Problem.of("unauthenticated",
                            "Authentication required", 401, "send HTTP Basic credentials of a Ringfence user")))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
                    .build());
            return;
        }
        Authenticator.User u = user.get();
        List<String> path = segments(request);
        Access access = access(path, request.getMethod());
        if (Collections.disjoint(u.roles(), access.roles())) {
            request.abortWith(Problems.response(Problem.of("forbidden", "Forbidden", 403,
                    "user '" + u.name() + "' may not " + access.what() + "; it needs one of the roles "
                            + new java.util.TreeSet<>(access.roles()))));
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return u::name;
            }

            @Override
            public boolean isUserInRole(String role) {
                return u.roles().contains(role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return SecurityContext.BASIC_AUTH;
            }
        });
    }

    /** The roles that may make a request, and what the request does, for the refusal. */
    private record Access(Set<String> roles, String what) {
    }

    private Access access(List<String> path, String method) {
        boolean read = READ_METHODS.contains(method);
        if (path.size() >= APPLIANCES.size() && path.subList(0, APPLIANCES.size()).equals(APPLIANCES)) {
            int below = path.size() - APPLIANCES.size();
            if ((below == 0 && method.equals("POST")) || (below == 2 && APPLIANCE_ACTIONS.contains(path.get(path.size() - 1)))) {
                return new Access(applianceRoles, "act as an appliance");
            }
            if (below == 1 && method.equals("DELETE")) {
                return new Access(removeApplianceRoles, "deregister an appliance");
            }
        }
        boolean write = !READ_PATHS.contains(path) && (!read || WRITE_PATHS.contains(path));
        return write ? new Access(writeRoles, "change this") : new Access(readRoles, "read this");
    }

    /** The request's path below the API's base as segments, without empty ones and matrix parameters. */
    private static List<String> segments(ContainerRequestContext request) {
        List<String> segments = new ArrayList<>();
        for (PathSegment s : request.getUriInfo().getPathSegments(true)) {
            if (!s.getPath().isEmpty()) {
                segments.add(s.getPath());
            }
        }
        return segments;
    }

    /** {user, password} from a Basic Authorization header, or empty when absent or malformed. */
    static Optional<String[]> credentials(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }
}
