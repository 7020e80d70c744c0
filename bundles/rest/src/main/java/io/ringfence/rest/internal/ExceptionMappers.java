package io.ringfence.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.ringfence.manager.AlreadyExistsException;
import io.ringfence.manager.InUseException;
import io.ringfence.manager.ModelException;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.store.StoreException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every exception that can leave a resource becomes a problem document here; nothing else
 * (no stack trace, no server internals) reaches a client.
 */
final class ExceptionMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionMappers.class);

    private ExceptionMappers() {
    }

    /** Refusals of the model manager. */
    static final class ModelExceptions implements ExceptionMapper<ModelException> {
        @Override
        public Response toResponse(ModelException e) {
            if (e instanceof ValidationException v) {
                return Problems.response(Problem.of("validation", "The object is invalid", 422, e.getMessage())
                        .withErrors(v.violations()));
            }
            if (e instanceof NotFoundException) {
                return Problems.response(Problem.of("not-found", "Not found", 404, e.getMessage()));
            }
            if (e instanceof AlreadyExistsException) {
                return Problems.response(Problem.of("already-exists", "The id is taken", 409, e.getMessage()));
            }
            if (e instanceof InUseException u) {
                return Problems.response(Problem.of("in-use", "The object is still in use", 409, e.getMessage())
                        .withUsers(u.users()));
            }
            if (e instanceof RevisionMismatchException) {
                return Problems.response(Problem.of("stale-revision", "The object has changed", 412, e.getMessage()));
            }
            return Problems.response(Problem.of("refused", "The change was refused", 409, e.getMessage()));
        }
    }

    /** Bodies that are not JSON, or JSON that does not fit the object. */
    static final class JsonExceptions implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof StreamConstraintsException) {
                return Problems.response(Problem.of("malformed-json", "The body is not acceptable JSON", 400,
                        "the JSON exceeds a structural limit: " + e.getOriginalMessage()));
            }
            if (!(e instanceof JsonMappingException m)) {
                // syntax: the location helps, the echo of the input does not
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr();
                return Problems.response(Problem.of("malformed-json", "The body is not valid JSON", 400,
                        e.getOriginalMessage() + where));
            }
            String field = pointer(m);
            if (e instanceof UnrecognizedPropertyException u) {
                return invalid(field, "unknown field '" + u.getPropertyName() + "'");
            }
            if (e instanceof ValueInstantiationException || e instanceof InvalidFormatException) {
                Throwable cause = e.getCause();
                String message = cause instanceof IllegalArgumentException && cause.getMessage() != null
                        ? cause.getMessage() : describeInvalidValue(m);
                return invalid(field, message);
            }
            if (e instanceof InvalidTypeIdException) {
                return invalid(field, "does not have a recognised shape");
            }
            if (e instanceof MismatchedInputException) {
                return Problems.response(Problem.of("malformed-json", "The body does not have the expected structure",
                        400, (field.isEmpty() ? "the body" : field) + ": " + firstLine(m.getOriginalMessage()))
                        .withErrors(List.of(new Violation(field, firstLine(m.getOriginalMessage())))));
            }
            return invalid(field, firstLine(m.getOriginalMessage()));
        }

        private static Response invalid(String field, String message) {
            return Problems.response(Problem.of("validation", "The object is invalid", 422,
                    (field.isEmpty() ? "the body" : field) + ": " + message)
                    .withErrors(List.of(new Violation(field, message))));
        }

        private static String describeInvalidValue(JsonMappingException m) {
            if (m instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
                Object[] constants = f.getTargetType().getEnumConstants();
                return "'" + f.getValue() + "' is not one of " + java.util.Arrays.toString(constants);
            }
            return firstLine(m.getOriginalMessage());
        }

        /** The JSON pointer of where mapping failed, e.g. {@code /entries/0/destinationPorts/1}. */
        static String pointer(JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                sb.append('/');
                if (r.getFieldName() != null) {
                    sb.append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
                } else if (r.getIndex() >= 0) {
                    sb.append(r.getIndex());
                }
            }
            return sb.toString();
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "invalid value";
            }
            int nl = s.indexOf('\n');
            String line = nl < 0 ? s : s.substring(0, nl);
            // Jackson names Java types; clients know JSON, not our classes
            return line.replaceAll("`[a-z][\\w.$]*\\.(\\w+)`", "$1").replaceAll("\\(class [\\w.$]+\\)", "").trim();
        }
    }

    /** Errors raised by Jersey itself (404 unknown path, 405, 406, 415, 413 ...). */
    static final class WebExceptions implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            if (original.getEntity() instanceof Problem) {
                return original;
            }
            int status = original.getStatus();
            Problem p = switch (status) {
                case 404 -> Problem.of("not-found", "Not found", 404, "no resource at this path");
                case 405 -> Problem.of("method-not-allowed", "Method not allowed", 405,
                        "allowed: " + original.getAllowedMethods());
                case 406 -> Problem.of("not-acceptable", "Not acceptable", 406,
                        "this API produces application/json");
                case 413 -> Problem.of("too-large", "Request body too large", 413, e.getMessage());
                case 415 -> Problem.of("unsupported-media-type", "Unsupported media type", 415,
                        "send the body as application/json");
                default -> Problem.of("http-" + status, Response.Status.fromStatusCode(status) == null
                        ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase(), status,
                        status >= 500 ? "the server could not handle the request" : e.getMessage());
            };
            Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE).entity(p);
            // keep protocol headers such as Allow and WWW-Authenticate
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            return b.build();
        }
    }

    static final class BadRequests implements ExceptionMapper<Problems.BadRequest> {
        @Override
        public Response toResponse(Problems.BadRequest e) {
            return Problems.response(Problem.of("bad-request", "Bad request", 400, e.getMessage()));
        }
    }

    static final class StoreExceptions implements ExceptionMapper<StoreException> {
        @Override
        public Response toResponse(StoreException e) {
            LOG.warn("store failure", e);
            return Response.status(503).header("Retry-After", "1").type(Problem.MEDIA_TYPE)
                    .entity(Problem.of("store-unavailable", "The change could not be stored", 503,
                            "nothing was changed; retry the request")).build();
        }
    }

    /** Anything unexpected: logged with an id the client can quote, never shown. */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("unexpected error, incident {}", incident, e);
            return Problems.response(Problem.of("internal", "Internal error", 500,
                    "the request failed; incident " + incident + " is in the server log"));
        }
    }
}
