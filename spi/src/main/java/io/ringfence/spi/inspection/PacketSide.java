package io.ringfence.spi.inspection;

/** Which end of a flow sent a packet. */
public enum PacketSide {
    /** The initiator (the flow's {@link FlowContext#source()}): the chain's forward path. */
    ORIGINAL,
    /** The responder: the chain's reverse path. */
    REPLY
}
