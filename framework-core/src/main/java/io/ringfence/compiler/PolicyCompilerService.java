package io.ringfence.compiler;

import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The compiled state of the data center, and the hosts' subscriptions to it. */
@ProviderType
public interface PolicyCompilerService {

    /** The generation of the newest compiled change. */
    long generation();

    /** The rule table of a vNIC. */
    Optional<VnicRuleSet> ruleSet(String vnicId);

    /** The rule tables of a VM's vNICs, in the VM's vNIC order; empty for an unknown VM. */
    List<VnicRuleSet> ruleSetsOfVm(String vmId);

    /**
     * The rule tables that hold an entry of the rule (staged entries count), ordered by vNIC id;
     * empty for an unknown or disabled rule. Costs what the rule can reach, not the whole data center.
     *
     * @since 0.4.0
     */
    List<VnicRuleSet> ruleSetsOfRule(String ruleId);

    /**
     * The rule tables that hold an entry of any rule of the policy, ordered by vNIC id; empty for
     * an unknown policy or one without enabled rules.
     *
     * @since 0.4.0
     */
    List<VnicRuleSet> ruleSetsOfPolicy(String policyId);

    /** An address group referred to by compiled entries. */
    Optional<AddressGroup> addressGroup(String id);

    /** A group's effective members, as the incremental membership engine has them now. */
    Members members(String groupId);

    /**
     * Subscribes a consumer to a host: it receives the host's full state at once, then every delta
     * for the host. A host may have several consumers (its in-JVM agent and the enforcement
     * targets that cover it); each hears every delta. Attaching a consumer again only sends it the
     * full state again.
     *
     * @since 0.3.0 (before, a new consumer replaced the host's previous one)
     */
    void attach(String hostId, HostRuleSetConsumer consumer);

    /** Unsubscribes the consumer from the host; the host's other consumers are not affected. */
    void detach(String hostId, HostRuleSetConsumer consumer);

    /**
     * What compiling {@code proposed} instead of the current model would change.
     *
     * @throws StalePreviewException when {@code proposed} was derived from another committed
     *         revision than the compiled one (a change was committed meanwhile): derive it again
     */
    PolicyPreview preview(ModelSnapshot proposed);

    /** Size figures of the compiled state. */
    CompilerStats stats();

    /**
     * Size of the compiled state.
     *
     * @param vnics          vNICs with a rule table
     * @param entries        entries over all tables, both directions
     * @param addressGroups  address groups referred to
     * @param generation     the current generation
     */
    record CompilerStats(int vnics, long entries, int addressGroups, long generation) {
        public double averageEntriesPerVnic() {
            return vnics == 0 ? 0 : (double) entries / vnics;
        }
    }
}
