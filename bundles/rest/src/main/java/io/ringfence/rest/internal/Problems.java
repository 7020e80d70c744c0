package io.ringfence.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;

/** Builds problem responses. */
public final class Problems {
    private Problems() {
    }

    public static Response response(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** A 400 for a bad query parameter or header. */
    public static BadRequest badRequest(String detail) {
        return new BadRequest(detail);
    }

    /**
     * A 503 for a request that needs a service the server lacks right now (nothing was changed):
     * carried as the exception whose problem the mapper passes on.
     */
    public static WebApplicationException unavailable(String detail) {
        return new WebApplicationException(response(Problem.of("unavailable", "Service unavailable", 503, detail)));
    }

    /** A client error detected by the REST layer itself, carried to the mapper as an exception. */
    public static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String detail) {
            super(detail);
        }
    }
}
