package io.ringfence.manager.internal;

import io.ringfence.manager.Members;
import io.ringfence.manager.ModelSnapshot;
import io.ringfence.manager.NotFoundException;
import io.ringfence.model.Group;
import io.ringfence.model.Kind;
import io.ringfence.net.AddressSet;
import java.util.Collections;
import java.util.SortedSet;

/**
 * Test access to the manager's full (non-incremental) membership evaluation over one snapshot, for
 * tests in other packages (the compiler's oracle): {@link MembershipEvaluator} is package-private.
 */
public final class Memberships {

    private final ModelSnapshot model;
    private final MembershipEvaluator evaluator;

    public Memberships(ModelSnapshot model) {
        this.model = model;
        this.evaluator = new MembershipEvaluator(model);
    }

    /** Member VM ids of the group, sorted. */
    public SortedSet<String> vms(String groupId) {
        return Collections.unmodifiableSortedSet(evaluator.vms(group(groupId)));
    }

    /** The group's address set. */
    public AddressSet addresses(String groupId) {
        return evaluator.addresses(group(groupId));
    }

    /** The group's effective members, exactly as {@link ModelManager#members} reports them. */
    public Members members(String groupId) {
        return evaluator.members(group(groupId));
    }

    private Group group(String groupId) {
        return model.find(Kind.GROUP, groupId)
                .orElseThrow(() -> new NotFoundException(Kind.GROUP.name(), groupId));
    }
}
