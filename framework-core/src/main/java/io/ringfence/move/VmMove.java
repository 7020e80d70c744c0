package io.ringfence.move;

import io.ringfence.model.Vm;
import java.time.Duration;
import java.util.Objects;

/**
 * A VM that moved.
 *
 * @param vm           the VM as committed, on its new host
 * @param fromHostId   the host it left (null when it had none)
 * @param flowsCarried flows that went on at the destination
 * @param flowsCut     flows the destination's rules (as of the commit) no longer allowed, cut on arrival
 * @param held         how long the VM's packets waited while its flows changed host
 */
public record VmMove(Vm vm, String fromHostId, int flowsCarried, int flowsCut, Duration held) {

    public VmMove {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(held, "held");
    }
}
