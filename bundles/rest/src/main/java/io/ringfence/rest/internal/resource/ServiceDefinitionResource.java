package io.ringfence.rest.internal.resource;

import io.ringfence.insertion.JsonSchemas;
import io.ringfence.insertion.ServiceDefinition;
import io.ringfence.insertion.ServiceInstance;
import io.ringfence.manager.ListQuery;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.Page;
import io.ringfence.rest.internal.InsertionRuntime;
import io.ringfence.rest.internal.Problems;
import io.ringfence.spi.inspection.Health;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/**
 * The service definitions partner bundles have registered, read-only: what admins can make
 * profiles of, with the running instances and the profile schema. A definition's id is
 * {@code vendor/name}, addressed as the two path segments {@code definitions/{vendor}/{name}}.
 */
@Path("/v1/service-insertion/definitions")
@Tag(name = "Service insertion")
@Produces(MediaType.APPLICATION_JSON)
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthenticated")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class ServiceDefinitionResource {

    private static final Set<String> FILTERS = Set.of("vendor", "name", "q");

    private final InsertionRuntime runtime;

    @Inject
    public ServiceDefinitionResource(InsertionRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Lists the registered definitions, by id. Status: 200, 400 (bad paging or filter), 503 (no registry).
     */
    @GET
    @Operation(summary = "List the partners' service definitions",
            description = "Every definition with at least one registered instance, by id. Paged with offset and "
                    + "limit; filters: vendor, name (exact), q (id contains, ignoring case).",
            parameters = {
                @Parameter(name = "offset", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "0")),
                @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", defaultValue = "50", maximum = "1000")),
                @Parameter(name = "vendor", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "name", in = ParameterIn.QUERY, description = "filter"),
                @Parameter(name = "q", in = ParameterIn.QUERY, description = "filter")})
    @ApiResponse(responseCode = "200", description = "A page of service definitions",
            content = @Content(schema = @Schema(implementation = DefinitionPage.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    public Response list(@Context UriInfo uri) {
        ListQuery query = Http.listQuery(uri);
        for (String filter : query.filters().keySet()) {
            if (!FILTERS.contains(filter)) {
                throw Problems.badRequest("unknown filter '" + filter + "'; definitions take " + FILTERS);
            }
        }
        List<DefinitionView> matching = runtime.definitions().definitions().stream()
                .filter(matches(query.filters()))
                .map(DefinitionView::of)
                .toList();
        List<DefinitionView> items = matching.subList(Math.min(query.offset(), matching.size()),
                (int) Math.min((long) query.offset() + query.limit(), matching.size()));
        return EntityEndpoint.paged(uri, new Page<>(matching.size(), query.offset(), query.limit(), items)).build();
    }

    private static Predicate<ServiceDefinition> matches(Map<String, String> filters) {
        String vendor = filters.get("vendor");
        String name = filters.get("name");
        String q = filters.get("q");
        return d -> (vendor == null || d.vendor().equals(vendor))
                && (name == null || d.name().equals(name))
                && (q == null || d.id().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)));
    }

    /** Reads one definition. Status: 200, 404 (no instance of it is registered), 503 (no registry). */
    @GET
    @Path("{vendor}/{name}")
    @Operation(summary = "Read a partner's service definition",
            description = "The definition vendor/name: its instances and the JSON Schema its profiles' values must fit.")
    @ApiResponse(responseCode = "200", description = "The service definition",
            content = @Content(schema = @Schema(implementation = DefinitionView.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public DefinitionView get(@PathParam("vendor") String vendor, @PathParam("name") String name) {
        String id = vendor + "/" + name;
        return runtime.definitions().definition(id).map(DefinitionView::of)
                .orElseThrow(() -> new NotFoundException("service definition", id));
    }

    /**
     * A service definition as partners registered it. Vendor, name, description and schema are those
     * of the newest instance.
     *
     * @param id            {@code vendor/name}, what a service profile's {@code definition} names
     * @param vendor        the partner
     * @param name          the function
     * @param description   one line for admins
     * @param available     an instance takes new flows
     * @param instances     the registered instances, newest first: new flows go to the first that accepts flows
     * @param profileSchema what a profile's {@code values} must fit, as a JSON Schema (draft 2020-12)
     */
    @Schema(description = "A partner's service definition with its registered instances")
    public record DefinitionView(String id, String vendor, String name, String description, boolean available,
                                 List<InstanceView> instances,
                                 @Schema(type = "object", description = "JSON Schema (draft 2020-12) of a profile's values")
                                 Map<String, Object> profileSchema) {
        static DefinitionView of(ServiceDefinition d) {
            return new DefinitionView(d.id(), d.vendor(), d.name(), d.description(), d.available(),
                    d.instances().stream().map(InstanceView::of).toList(), JsonSchemas.of(d.profileSchema()));
        }
    }

    /**
     * One registered instance of a definition (one partner bundle's service).
     *
     * @param serviceId    its OSGi service id
     * @param version      the function's version
     * @param health       UP, DEGRADED or DOWN, as last polled
     * @param circuitOpen  its calls failed several times in a row: it gets no new flows for a cool-down
     * @param acceptsFlows it gets new flows when it is the newest instance that does
     * @param exportsState its sessions can hand their state over to a newer version
     * @param importsState it can take over sessions from an older version with their state
     * @param sessionsOpen flows it inspects now
     */
    @Schema(description = "A registered instance of a service definition")
    public record InstanceView(long serviceId, String version, Health health, boolean circuitOpen,
                               boolean acceptsFlows, boolean exportsState, boolean importsState, long sessionsOpen) {
        static InstanceView of(ServiceInstance i) {
            return new InstanceView(i.serviceId(), i.version(), i.health(), i.circuitOpen(), i.acceptsFlows(),
                    i.exportsState(), i.importsState(), i.sessionsOpen());
        }
    }

    /** The shape of a page of service definitions, for the OpenAPI document. */
    record DefinitionPage(long total, int offset, int limit, List<DefinitionView> items) {
    }
}
