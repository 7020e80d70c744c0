package io.ringfence.demo.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.model.DefaultRule;
import io.ringfence.model.Group;
import io.ringfence.model.Host;
import io.ringfence.model.Kind;
import io.ringfence.model.Policy;
import io.ringfence.model.RedirectionPolicy;
import io.ringfence.model.Service;
import io.ringfence.model.ServiceChain;
import io.ringfence.model.ServiceProfile;
import io.ringfence.model.Vm;
import io.ringfence.model.json.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A small three-tier data center (web, app and db tiers in production and development, a jump
 * host and DNS), with groups, services and policies in every category, and default deny; and
 * service insertion: a profile of each partner sample, a chain of both, and a redirection policy
 * that steers the web tier's calls to the API through it.
 *
 * <p>The chain fails open: the profiles name the samples' definitions, and without the samples'
 * bundles the shop's traffic passes uninspected instead of stopping.
 *
 * @param hosts               hypervisors
 * @param vms                 VMs with their vNICs
 * @param services            services
 * @param groups              groups, in dependency order (nested groups first)
 * @param policies            policies with their rules
 * @param serviceProfiles     profiles of the partner samples (their values fit the samples' schemas)
 * @param serviceChains       chains of those profiles
 * @param redirectionPolicies redirection policies with their rules
 * @param defaultRule         the default rule
 */
public record DemoDataCenter(List<Host> hosts, List<Vm> vms, List<Service> services, List<Group> groups,
                             List<Policy> policies, List<ServiceProfile> serviceProfiles,
                             List<ServiceChain> serviceChains, List<RedirectionPolicy> redirectionPolicies,
                             DefaultRule defaultRule) {

    static final String RESOURCE = "datacenter.json";
    static final String PRINCIPAL = "system:demo";

    /** The demo as shipped in the bundle. */
    public static DemoDataCenter read() {
        ObjectMapper json = ModelJson.mapper();
        try (InputStream in = DemoDataCenter.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            return json.readValue(in, DemoDataCenter.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the demo data center cannot be read", e);
        }
    }

    /**
     * Loads the demo into an installation that has never been changed (model revision 0);
     * anything else is left alone, so an admin's deletions are never undone by a restart.
     *
     * @return true when the demo was loaded
     */
    public boolean loadInto(ModelService models, ModelAdminService admin) {
        if (models.snapshot().revision() != 0) {
            return false;
        }
        hosts.forEach(h -> admin.create(Kind.HOST, h, PRINCIPAL));
        vms.forEach(vm -> admin.create(Kind.VM, vm, PRINCIPAL));
        services.forEach(s -> admin.create(Kind.SERVICE, s, PRINCIPAL));
        groups.forEach(g -> admin.create(Kind.GROUP, g, PRINCIPAL));
        policies.forEach(p -> admin.create(Kind.POLICY, p, PRINCIPAL));
        serviceProfiles.forEach(p -> admin.create(Kind.SERVICE_PROFILE, p, PRINCIPAL));
        serviceChains.forEach(c -> admin.create(Kind.SERVICE_CHAIN, c, PRINCIPAL));
        redirectionPolicies.forEach(p -> admin.create(Kind.REDIRECTION_POLICY, p, PRINCIPAL));
        admin.setDefaultRule(defaultRule, null, PRINCIPAL);
        return true;
    }
}
