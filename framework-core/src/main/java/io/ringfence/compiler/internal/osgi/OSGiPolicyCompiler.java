package io.ringfence.compiler.internal.osgi;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.HostRuleSetConsumer;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.PolicyPreview;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.compiler.internal.PolicyCompiler;
import io.ringfence.manager.Members;
import io.ringfence.manager.ModelChangeEvent;
import io.ringfence.manager.ModelListener;
import io.ringfence.manager.ModelSnapshot;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The compiler as an OSGi service and a model listener. It starts empty and takes the model from
 * the first event the model manager sends a new listener (the compiler's revision check sees that
 * the event does not start from its empty model and compiles the model whole). Referring to the
 * model service instead would make a cycle: the manager binds every model listener.
 */
@Component(service = {PolicyCompilerService.class, ModelListener.class})
public final class OSGiPolicyCompiler implements PolicyCompilerService, ModelListener {

    private final PolicyCompiler compiler;

    @Activate
    public OSGiPolicyCompiler() {
        this.compiler = new PolicyCompiler(ModelSnapshot.EMPTY);
    }

    @Override
    public void modelChanged(ModelChangeEvent event) {
        compiler.modelChanged(event);
    }

    @Override
    public long generation() {
        return compiler.generation();
    }

    @Override
    public Optional<VnicRuleSet> ruleSet(String vnicId) {
        return compiler.ruleSet(vnicId);
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfVm(String vmId) {
        return compiler.ruleSetsOfVm(vmId);
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfRule(String ruleId) {
        return compiler.ruleSetsOfRule(ruleId);
    }

    @Override
    public List<VnicRuleSet> ruleSetsOfPolicy(String policyId) {
        return compiler.ruleSetsOfPolicy(policyId);
    }

    @Override
    public Optional<AddressGroup> addressGroup(String id) {
        return compiler.addressGroup(id);
    }

    @Override
    public Members members(String groupId) {
        return compiler.members(groupId);
    }

    @Override
    public void attach(String hostId, HostRuleSetConsumer consumer) {
        compiler.attach(hostId, consumer);
    }

    @Override
    public void detach(String hostId, HostRuleSetConsumer consumer) {
        compiler.detach(hostId, consumer);
    }

    @Override
    public PolicyPreview preview(ModelSnapshot proposed) {
        return compiler.preview(proposed);
    }

    @Override
    public CompilerStats stats() {
        return compiler.stats();
    }
}
