package io.ringfence.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringfence.manager.Reference;
import io.ringfence.manager.Violation;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type   identifies the kind of problem
 * @param title  short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence
 * @param errors for validation problems: each offending field (a JSON pointer) and why
 * @param users  for in-use conflicts: the objects that still refer to the target
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> errors,
                      List<Reference> users) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem("urn:ringfence:problem:" + slug, title, status, detail, null, null);
    }

    Problem withErrors(List<Violation> newErrors) {
        return new Problem(type, title, status, detail, newErrors, users);
    }

    Problem withUsers(List<Reference> newUsers) {
        return new Problem(type, title, status, detail, errors, newUsers);
    }
}
