package io.ringfence.rest.internal;

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

    /** A client error detected by the REST layer itself, carried to the mapper as an exception. */
    public static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String detail) {
            super(detail);
        }
    }
}
