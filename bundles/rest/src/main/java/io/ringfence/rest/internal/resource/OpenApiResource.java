package io.ringfence.rest.internal.resource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * Serves the OpenAPI 3 document that the build generates from these resource classes
 * (so it always describes the code that is running).
 */
@Path("/v1/openapi.json")
@Tag(name = "API")
public class OpenApiResource {

    static final String DOCUMENT = "/io/ringfence/rest/internal/openapi.json";

    /** The document. Status: 200. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This OpenAPI 3 document")
    public Response document() {
        return Response.ok(Document.BYTES, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Read once, on first use. */
    private static final class Document {
        static final byte[] BYTES = read();

        private static byte[] read() {
            try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
                if (in == null) {
                    throw new IllegalStateException("the OpenAPI document is missing from the bundle");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("the OpenAPI document cannot be read", e);
            }
        }
    }
}
