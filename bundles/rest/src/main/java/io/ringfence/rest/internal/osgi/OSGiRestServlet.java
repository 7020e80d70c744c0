package io.ringfence.rest.internal.osgi;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.appliance.ApplianceService;
import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.ServiceInsertion;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.move.VmMoveService;
import io.ringfence.rest.internal.InsertionRuntime;
import io.ringfence.rest.internal.JaasAuthenticator;
import io.ringfence.rest.internal.RestApplication;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.servlet.Servlet;
import org.glassfish.jersey.servlet.ServletContainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The admin API as a servlet on the OSGi HTTP whiteboard, under {@code /api/*}. A change of
 * configuration, of the model services, of the policy compiler, of the data plane, of the enforcement
 * service or of the VM mover re-creates the servlet.
 *
 * <p>The service-insertion services are optional and greedy: the rest of the API works without them
 * (their requests answer 503 meanwhile), and the servlet is re-created when they come or go. They
 * change rarely: partners' bundles come and go behind the registry, which stays. So is the registry of
 * virtual appliances (its endpoints are absent without it).
 */
@Component(service = Servlet.class, configurationPid = "io.ringfence.rest", property = {
        "osgi.http.whiteboard.servlet.pattern=/api/*",
        "osgi.http.whiteboard.servlet.name=ringfence-api"})
@Designate(ocd = OSGiRestServlet.Configuration.class)
public final class OSGiRestServlet extends ServletContainer {

    private static final long serialVersionUID = 1L;

    @ObjectClassDefinition(name = "Ringfence REST API")
    public @interface Configuration {
        @AttributeDefinition(description = "JAAS realm that authenticates API users")
        String realm() default "karaf";

        @AttributeDefinition(description = "Roles that may read")
        String[] readRoles() default {"admin", "auditor"};

        @AttributeDefinition(description = "Roles that may change the model")
        String[] writeRoles() default {"admin"};

        @AttributeDefinition(description = "Roles of virtual appliances: they may register, pull and acknowledge their updates, nothing else")
        String[] applianceRoles() default {"appliance"};

        @AttributeDefinition(description = "Largest accepted request body, in bytes")
        int maxBodyBytes() default 1 << 20;

        @AttributeDefinition(description = "Seconds a successful login is remembered (0: never)")
        int loginCacheSeconds() default 60;
    }

    @Activate
    public OSGiRestServlet(@Reference ModelService models, @Reference ModelAdminService admin,
                           @Reference PolicyCompilerService compiler, @Reference DataPlaneService dataPlane,
                           @Reference RealizationService realization,
                           @Reference VmMoveService moves,
                           @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                           ServiceProfileValidator profiles,
                           @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                           ServiceDefinitionRegistry definitions,
                           @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                           ServiceInsertion insertion,
                           @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                           TargetCounterService targets,
                           @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                           ApplianceService appliances,
                           Configuration config) {
        super(RestApplication.create(models, admin, compiler, dataPlane, moves,
                profiles == null ? InsertionRuntime.PROFILES_UNCHECKED : profiles,
                new InsertionRuntime(definitions, insertion),
                targets == null ? TargetCounterService.NONE : targets, realization, appliances,
                new JaasAuthenticator(config.realm(), null, Duration.ofSeconds(config.loginCacheSeconds()),
                        Clock.systemUTC()),
                new RestApplication.Settings(set(config.readRoles()), set(config.writeRoles()),
                        set(config.applianceRoles()), config.maxBodyBytes())));
    }

    private static Set<String> set(String[] values) {
        return Arrays.stream(values).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
