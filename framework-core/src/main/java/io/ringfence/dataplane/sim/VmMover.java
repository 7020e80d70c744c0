package io.ringfence.dataplane.sim;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.compiler.HostDelta;
import io.ringfence.compiler.PolicyCompilerService;
import io.ringfence.compiler.VnicRuleSet;
import io.ringfence.dataplane.agent.HostAgent;
import io.ringfence.dataplane.agent.VnicHandover;
import io.ringfence.dataplane.agent.VnicStats;
import io.ringfence.manager.ModelAdminService;
import io.ringfence.manager.ModelService;
import io.ringfence.manager.NotFoundException;
import io.ringfence.manager.RevisionMismatchException;
import io.ringfence.manager.ValidationException;
import io.ringfence.manager.Violation;
import io.ringfence.model.Kind;
import io.ringfence.model.Vm;
import io.ringfence.model.Vnic;
import io.ringfence.move.VmMove;
import io.ringfence.move.VmMoveRefusedException;
import io.ringfence.move.VmMoveService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a VM between the hosts of the in-JVM data center with its connections, in the order that leaves
 * no moment without filtering and no established connection behind:
 * <ol>
 *   <li>the VM's rule sets, as the compiler has them, and the address groups they refer to are realized on
 *       the destination's agent, and checked to be enforced there at their generation, while the source
 *       still enforces them and carries the traffic;</li>
 *   <li>the VM's packets are held ({@link HostDataPlanes#handover}); its vNICs' flows (state, counters,
 *       steering) and counters are exported from the source's agent and imported into the destination's,
 *       which cuts those its rules do not allow;</li>
 *   <li>the packets are let go, to the destination: they are decided there, on the flows that came;</li>
 *   <li>the VM's new host is committed to the model (durably, audited), which makes the compiler send the
 *       destination its rule sets as committed (revalidating the flows once more) and take them off the
 *       source, whose copies of the flows go with them; the model now routes the VM's packets to the
 *       destination itself.</li>
 * </ol>
 * When the commit fails, the packets are held again, the flows and counters go back to the source, the
 * packets are let go there and the destination forgets the tables it was given: nothing changed. Between
 * steps 3 and 4 the destination enforces the rule sets of step 1; a rule changed meanwhile reaches it with
 * the commit (the lag of any realization).
 *
 * <p>The VM's packets wait (they are not dropped) for step 2 only: the carrying of its flows, not the
 * durable commit. Moves run one at a time.
 */
public final class VmMover implements VmMoveService {

    private final ModelService models;
    private final ModelAdminService admin;
    private final PolicyCompilerService compiler;
    private final HostDataPlanes hosts;
    private final Set<String> moving = ConcurrentHashMap.newKeySet();
    private final Object oneAtATime = new Object();

    public VmMover(ModelService models, ModelAdminService admin, PolicyCompilerService compiler,
                   HostDataPlanes hosts) {
        this.models = Objects.requireNonNull(models, "models");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
    }

    @Override
    public VmMove move(String vmId, String hostId, Long expectedRevision, String principal) {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(hostId, "hostId");
        if (!moving.add(vmId)) {
            throw new VmMoveRefusedException(VmMoveRefusedException.Reason.MOVING,
                    "VM '" + vmId + "' is moving already; try again once that move is done");
        }
        try {
            synchronized (oneAtATime) {
                return moveNow(vmId, hostId, expectedRevision, principal);
            }
        } finally {
            moving.remove(vmId);
        }
    }

    private VmMove moveNow(String vmId, String hostId, Long expectedRevision, String principal) {
        Vm vm = models.find(Kind.VM, vmId).orElseThrow(() -> new NotFoundException(Kind.VM.name(), vmId));
        if (expectedRevision != null && expectedRevision != vm.revision()) {
            throw new RevisionMismatchException(Kind.VM.name(), vmId, expectedRevision, vm.revision());
        }
        if (models.find(Kind.HOST, hostId).isEmpty()) {
            throw new ValidationException(List.of(new Violation("/hostId", "there is no host '" + hostId + "'")));
        }
        if (hostId.equals(vm.hostId())) {
            throw new VmMoveRefusedException(VmMoveRefusedException.Reason.SAME_HOST,
                    "VM '" + vmId + "' runs on host '" + hostId + "' already");
        }
        HostAgent to = hosts.agent(hostId)
                .orElseThrow(() -> new IllegalStateException("host '" + hostId + "' has no agent yet"));
        HostAgent from = vm.hostId() == null ? null : hosts.agent(vm.hostId()).orElse(null);
        List<String> vnics = vm.vnics().stream().map(Vnic::id).toList();

        realize(to, vmId);
        int exported = 0;
        int kept = 0;
        long held;
        try (HostDataPlanes.Handover handover = hosts.handover(vnics)) {
            long heldSince = System.nanoTime();
            long now = hosts.now();
            try {
                for (String v : vnics) {
                    VnicHandover h = from == null ? null : from.exportVnic(v, now);
                    if (h != null) {
                        exported += h.flows().size();
                        kept += to.importVnic(h, now);
                    }
                }
            } catch (RuntimeException e) {
                giveBack(from, to, vnics);
                throw e;
            }
            handover.release(hostId);
            held = System.nanoTime() - heldSince;
            long cutBefore = flowsCut(to, vnics);
            Vm moved;
            try {
                moved = admin.replace(Kind.VM, vmId, new Vm(vm.id(), vm.name(), hostId, vm.os(), vm.tags(),
                        vm.vnics(), vm.revision()), vm.revision(), principal);
            } catch (RuntimeException e) {
                handover.hold();
                giveBack(from, to, vnics);
                throw e; // closing the handover sends the packets back to the source
            }
            // the commit revalidated the flows against the rules as committed: some may have gone then
            int carried = Math.max(0, kept - (int) (flowsCut(to, vnics) - cutBefore));
            return new VmMove(moved, vm.hostId(), carried, exported - carried, Duration.ofNanos(held));
        } catch (RuntimeException e) {
            forget(to, vnics);
            throw e;
        }
    }

    /**
     * Gives the destination the VM's rule sets and the address groups they need that it lacks, and checks
     * that it enforces each at the compiler's generation of it.
     */
    private void realize(HostAgent to, String vmId) {
        long generation = compiler.generation();
        List<VnicRuleSet> sets = compiler.ruleSetsOfVm(vmId);
        Set<String> needed = new TreeSet<>();
        for (VnicRuleSet rs : sets) {
            for (List<CompiledRule> entries : List.of(rs.in(), rs.out())) {
                for (CompiledRule e : entries) {
                    if (e.remote() != null && !to.hasAddressGroup(e.remote())) {
                        needed.add(e.remote());
                    }
                }
            }
        }
        List<AddressGroup> groups = new ArrayList<>();
        needed.forEach(id -> compiler.addressGroup(id).ifPresent(groups::add));
        to.accept(new HostDelta(to.hostId(), generation, false, sets, List.of(), groups, List.of()));
        for (VnicRuleSet rs : sets) {
            if (!to.enforces(rs.vnicId(), rs.generation())) {
                forget(to, sets.stream().map(VnicRuleSet::vnicId).toList());
                throw new IllegalStateException("host '" + to.hostId() + "' could not realize the rule set of vNIC '"
                        + rs.vnicId() + "' (generation " + rs.generation() + "); the VM stays where it is");
            }
        }
    }

    private static long flowsCut(HostAgent agent, List<String> vnics) {
        return vnics.stream().mapToLong(v -> agent.vnicStats(v).map(VnicStats::flowsCut).orElse(0L)).sum();
    }

    /** The move failed before it was committed: the flows and counters go back to the source. */
    private void giveBack(HostAgent from, HostAgent to, List<String> vnics) {
        long now = hosts.now();
        for (String v : vnics) {
            VnicHandover back = to.exportVnic(v, now);
            if (from != null && from.tables(v).isPresent()) {
                from.importVnic(back, now);
            }
        }
    }

    /**
     * The destination forgets the tables it was given for the move, unless the compiler has put the vNICs
     * there meanwhile (the VM was moved there by a change of its own).
     */
    private void forget(HostAgent to, List<String> vnics) {
        List<String> strays = vnics.stream().filter(v -> compiler.ruleSet(v)
                .map(rs -> !to.hostId().equals(rs.hostId())).orElse(true)).toList();
        if (!strays.isEmpty()) {
            to.accept(new HostDelta(to.hostId(), compiler.generation(), false, List.of(), strays, List.of(), List.of()));
        }
    }
}
