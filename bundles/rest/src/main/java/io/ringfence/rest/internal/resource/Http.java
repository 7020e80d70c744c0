package io.ringfence.rest.internal.resource;

import io.ringfence.manager.ListQuery;
import io.ringfence.rest.internal.Problem;
import io.ringfence.rest.internal.Problems;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** HTTP details shared by the resources: ETags, If-Match, paging parameters, the principal. */
final class Http {

    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> PAGING = Set.of("offset", "limit");

    private Http() {
    }

    /** Revisions are ETags: a strong tag holding the decimal revision. */
    static EntityTag etag(long revision) {
        return new EntityTag(Long.toString(revision));
    }

    /**
     * The revision the client's If-Match names, or null when the request is unconditional
     * (no If-Match, or {@code *}). Of several tags, the one equal to {@code current} wins so the
     * manager's check passes; otherwise the first is passed on and the manager answers 412.
     *
     * @throws WebApplicationException 412 when no tag is a revision (weak tags never match, RFC 9110)
     */
    static Long ifMatch(HttpHeaders headers, long current) {
        List<String> values = headers.getRequestHeader(HttpHeaders.IF_MATCH);
        if (values == null || values.isEmpty()) {
            return null;
        }
        Long first = null;
        for (String value : values) {
            for (String raw : value.split(",")) {
                String tag = raw.trim();
                if (tag.equals("*")) {
                    return null;
                }
                if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
                    try {
                        long rev = Long.parseLong(tag.substring(1, tag.length() - 1));
                        if (rev == current) {
                            return rev;
                        }
                        if (first == null) {
                            first = rev;
                        }
                    } catch (NumberFormatException ignored) {
                        // not one of ours: cannot match
                    }
                }
            }
        }
        if (first == null) {
            throw new WebApplicationException(Problems.response(Problem.of("stale-revision", "The object has changed",
                    412, "If-Match names no current revision of this object; read it again to get its ETag")));
        }
        return first;
    }

    /** 304 when If-None-Match names the current revision, else null. */
    static Response notModified(Request request, long revision) {
        Response.ResponseBuilder b = request.evaluatePreconditions(etag(revision));
        return b == null ? null : b.build();
    }

    static ListQuery listQuery(UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        int offset = intParam(params, "offset", 0);
        int limit = intParam(params, "limit", DEFAULT_LIMIT);
        if (offset < 0) {
            throw Problems.badRequest("offset must not be negative");
        }
        if (limit < 1 || limit > ListQuery.MAX_LIMIT) {
            throw Problems.badRequest("limit must be 1-" + ListQuery.MAX_LIMIT);
        }
        Map<String, String> filters = new HashMap<>();
        params.forEach((name, values) -> {
            if (!PAGING.contains(name)) {
                if (values.size() != 1) {
                    throw Problems.badRequest("filter '" + name + "' must be given once");
                }
                filters.put(name, values.get(0));
            }
        });
        return new ListQuery(offset, limit, filters);
    }

    static int intParam(MultivaluedMap<String, String> params, String name, int fallback) {
        String v = params.getFirst(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw Problems.badRequest(name + " must be an integer, not '" + v + "'");
        }
    }

    static String principal(SecurityContext security) {
        return security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
    }

    static <T> T body(T body) {
        if (body == null) {
            throw Problems.badRequest("a JSON body is required");
        }
        return body;
    }

    static URI location(UriInfo uri, String id) {
        return uri.getAbsolutePathBuilder().path(id).build();
    }
}
