package io.ringfence.manager;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of the current model when it starts listening (an event from and to the current model,
 * with nothing changed), then of every committed change, in commit order, before the change's
 * caller gets its answer
 * (so that what the caller reads next already reflects it). Called with the model's write lock
 * held: keep it quick and never call back into {@link ModelAdminService}. An exception thrown
 * here is logged; the change stays committed.
 */
@ConsumerType
@FunctionalInterface
public interface ModelListener {

    void modelChanged(ModelChangeEvent event);
}
