package io.ringfence.dataplane.agent;

/**
 * Where a vNIC's packets enter its host's data plane: what a packet source (a virtual switch port, a
 * tap, a poll-mode queue) holds for the vNIC it serves, so that each packet reaches the vNIC's tables
 * and counters with one field read instead of a lookup by id. {@link HostAgent#port} hands it out;
 * {@link HostAgent#process(VnicPort, io.ringfence.model.Direction, io.ringfence.dataplane.packet.PacketView, long)}
 * decides with it exactly as with the vNIC's id.
 *
 * <p>A port follows its vNIC's tables as they are replaced. It stays usable after the vNIC leaves the
 * host: a packet through it is then decided as one naming the vNIC's id would be (by the default rule,
 * or by the vNIC's tables again if it came back), only without the shortcut; ask the agent for the
 * port again to have it back.
 *
 * @since 0.6.0
 */
public final class VnicPort {

    private final String vnicId;
    /**
     * The vNIC's tables and counters while the port is the agent's port for the vNIC and the vNIC has
     * tables; null otherwise. Written by the agent under its lock.
     */
    volatile HostAgent.Vnic vnic;

    VnicPort(String vnicId, HostAgent.Vnic vnic) {
        this.vnicId = vnicId;
        this.vnic = vnic;
    }

    /** The vNIC this port serves. */
    public String vnicId() {
        return vnicId;
    }

    @Override
    public String toString() {
        return "VnicPort[" + vnicId + (vnic == null ? ", no tables]" : "]");
    }
}
