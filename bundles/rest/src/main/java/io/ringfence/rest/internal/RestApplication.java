package io.ringfence.rest.internal;

import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.dataplane.api.DataPlaneService;
import io.ringfence.enforcement.RealizationService;
import io.ringfence.enforcement.TargetCounterService;
import io.ringfence.enforcement.appliance.ApplianceService;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.move.VmMoveService;
import io.ringfence.rest.internal.resource.AlertResource;
import io.ringfence.rest.internal.resource.ApplianceResource;
import io.ringfence.rest.internal.resource.AuditResource;
import io.ringfence.rest.internal.resource.ChainStatsResource;
import io.ringfence.rest.internal.resource.EffectiveRulesResource;
import io.ringfence.rest.internal.resource.FlowLogResource;
import io.ringfence.rest.internal.resource.FunctionStatsResource;
import io.ringfence.rest.internal.resource.GroupMembersResource;
import io.ringfence.rest.internal.resource.GroupResource;
import io.ringfence.rest.internal.resource.HostResource;
import io.ringfence.rest.internal.resource.HostStatsResource;
import io.ringfence.rest.internal.resource.OpenApiResource;
import io.ringfence.rest.internal.resource.PolicyPreviewResource;
import io.ringfence.rest.internal.resource.PolicyRealizationResource;
import io.ringfence.rest.internal.resource.PolicyResource;
import io.ringfence.rest.internal.resource.RealizationResource;
import io.ringfence.rest.internal.resource.RedirectionPolicyResource;
import io.ringfence.rest.internal.resource.RedirectionRuleResource;
import io.ringfence.rest.internal.resource.RuleRealizationResource;
import io.ringfence.rest.internal.resource.RuleResource;
import io.ringfence.rest.internal.resource.RuleStatsResource;
import io.ringfence.rest.internal.resource.ServiceChainResource;
import io.ringfence.rest.internal.resource.ServiceDefinitionResource;
import io.ringfence.rest.internal.resource.ServiceProfileResource;
import io.ringfence.rest.internal.resource.ServiceResource;
import io.ringfence.rest.internal.resource.SettingsResource;
import io.ringfence.rest.internal.resource.TraceflowResource;
import io.ringfence.rest.internal.resource.VmFlowsResource;
import io.ringfence.rest.internal.resource.VmMoveResource;
import io.ringfence.rest.internal.resource.VmRealizationResource;
import io.ringfence.rest.internal.resource.VmResource;
import io.ringfence.rest.internal.resource.VmStatsResource;
import java.util.Set;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application of the admin API, independent of how it is served: the OSGi servlet
 * and the tests' HTTP server build it the same way.
 */
public final class RestApplication {

    /**
     * Settings of the API.
     *
     * @param readRoles      roles that may read
     * @param writeRoles     roles that may also change
     * @param applianceRoles roles of virtual appliances: they may register, pull their updates and
     *                       acknowledge them, and nothing else (unless they hold other roles too)
     * @param maxBodyBytes   largest accepted request body
     */
    public record Settings(Set<String> readRoles, Set<String> writeRoles, Set<String> applianceRoles, int maxBodyBytes) {
        public static final Settings DEFAULT = new Settings(Set.of("admin", "auditor"), Set.of("admin"),
                Set.of("appliance"), 1 << 20);
    }

    private RestApplication() {
    }

    /**
     * The application over the model services, the policy compiler, the data plane and the enforcement targets.
     *
     * @param models        reads the model
     * @param admin         changes the model (and previews changes)
     * @param compiler      the compiled per-vNIC state: effective rules, group members, previews
     * @param dataPlane     the data plane: traffic counters and flow tables
     * @param moves         moves VMs between hosts with their connections
     * @param profiles      checks service profiles against the partners' definitions before they are submitted
     * @param insertion     the partners' definitions and the service-insertion runtime's counters and alerts
     * @param targets       the rule counters the enforcement targets keep, added to the data plane's
     * @param realization   desired against realized state on the enforcement targets, and their resync
     * @param appliances    the registry of virtual appliances, or null: their endpoints are then absent (404)
     * @param authenticator checks the users' credentials
     * @param settings      roles and limits
     */
    public static ResourceConfig create(ModelService models, ModelAdminService admin, PolicyCompilerService compiler,
                                        DataPlaneService dataPlane, VmMoveService moves, ServiceProfileValidator profiles,
                                        InsertionRuntime insertion, TargetCounterService targets,
                                        RealizationService realization, ApplianceService appliances,
                                        Authenticator authenticator, Settings settings) {
        ResourceConfig config = new ResourceConfig();
        config.setApplicationName("ringfence-api");
        // resources are registered as classes; the services reach them through injection
        config.registerClasses(HostResource.class, VmResource.class, GroupResource.class, GroupMembersResource.class,
                ServiceResource.class, PolicyResource.class, RuleResource.class, SettingsResource.class,
                AuditResource.class, OpenApiResource.class, EffectiveRulesResource.class, PolicyPreviewResource.class,
                RuleStatsResource.class, VmFlowsResource.class, TraceflowResource.class, FlowLogResource.class,
                ServiceProfileResource.class, ServiceChainResource.class, RedirectionPolicyResource.class,
                RedirectionRuleResource.class, ServiceDefinitionResource.class, ChainStatsResource.class,
                FunctionStatsResource.class, AlertResource.class, VmStatsResource.class, HostStatsResource.class,
                RealizationResource.class, PolicyRealizationResource.class, RuleRealizationResource.class,
                VmRealizationResource.class, VmMoveResource.class);
        if (appliances != null) {
            config.registerClasses(ApplianceResource.class);
        }
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(models).to(ModelService.class);
                bind(admin).to(ModelAdminService.class);
                bind(compiler).to(PolicyCompilerService.class);
                bind(dataPlane).to(DataPlaneService.class);
                bind(moves).to(VmMoveService.class);
                bind(profiles).to(ServiceProfileValidator.class);
                bind(insertion).to(InsertionRuntime.class);
                bind(targets).to(TargetCounterService.class);
                bind(realization).to(RealizationService.class);
                if (appliances != null) {
                    bind(appliances).to(ApplianceService.class);
                }
            }
        });
        // our own mappers give problem documents; Jackson's would echo the input
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new ModelMapperResolver());
        config.register(new AccessFilter(authenticator, settings.readRoles(), settings.writeRoles(),
                settings.applianceRoles()));
        config.register(new BodyLimit(settings.maxBodyBytes()));
        config.register(new ExceptionMappers.ModelExceptions());
        config.register(new ExceptionMappers.JsonExceptions());
        config.register(new ExceptionMappers.WebExceptions());
        config.register(new ExceptionMappers.BadRequests());
        config.register(new ExceptionMappers.StoreExceptions());
        config.register(new ApplianceExceptions());
        config.register(new ExceptionMappers.Unexpected());
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        return config;
    }
}
