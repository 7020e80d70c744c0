/**
 * Moving a VM to another host (vMotion) with its connections: {@link io.ringfence.move.VmMoveService}
 * realizes the VM's rule sets on the destination host before anything else, carries the VM's tracked
 * flows from the source host's data plane to the destination's, cuts the traffic over and commits the
 * VM's new host to the model, so that there is no moment when the VM's traffic is unfiltered and
 * established connections go on. The implementation for the in-JVM data center is
 * {@code io.ringfence.dataplane.sim.VmMover}.
 */
@Version("0.1.0")
@Export
package io.ringfence.move;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
