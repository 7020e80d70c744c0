package io.ringfence.compiler;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what one host must enforce: first its full state, then one delta per change that
 * touches the host, in generation order. Host agents implement it (in this JVM, or a transport to
 * an agent elsewhere). Called on the compiler's thread: an implementation hands the delta off and
 * returns quickly; an exception it throws is logged and does not stop other hosts' deltas.
 */
@ConsumerType
@FunctionalInterface
public interface HostRuleSetConsumer {

    void accept(HostDelta delta);
}
