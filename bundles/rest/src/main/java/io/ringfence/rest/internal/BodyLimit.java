package io.ringfence.rest.internal;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the limit with 413: by Content-Length before anything is read,
 * and for chunked bodies by reading at most limit + 1 bytes, so an endless body costs no more
 * memory than the limit.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 1)
final class BodyLimit implements ContainerRequestFilter, ReaderInterceptor {

    /** Oversize bodies up to this many times the limit are read and discarded before the 413. */
    private static final int DRAIN_FACTOR = 4;

    private final int maxBytes;

    BodyLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > maxBytes) {
                    // read and discard a moderately oversize body (like Tomcat's swallow limit) so
                    // that the client, still sending, reads the 413 instead of a reset connection;
                    // a body far over the limit is not read: the connection is closed on it
                    if (declared <= (long) maxBytes * DRAIN_FACTOR) {
                        drain(request.getEntityStream(), declared);
                    }
                    request.abortWith(tooLarge());
                }
            } catch (NumberFormatException e) {
                request.abortWith(Problems.response(Problem.of("bad-request", "Bad request", 400,
                        "Content-Length is not a number")));
            }
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        InputStream in = context.getInputStream();
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw new WebApplicationException(tooLarge());
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static void drain(InputStream in, long bytes) {
        try {
            byte[] buffer = new byte[8192];
            long left = bytes;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: the 413 goes nowhere either way
        }
    }

    private Response tooLarge() {
        return Problems.response(Problem.of("too-large", "Request body too large", 413,
                "the body exceeds " + maxBytes + " bytes"));
    }
}
