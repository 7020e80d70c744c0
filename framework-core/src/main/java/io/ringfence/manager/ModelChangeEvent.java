package io.ringfence.manager;

import io.ringfence.model.Kind;
import java.util.List;

/**
 * One committed change of the model.
 *
 * @param before             the model before
 * @param after              the model after (its revision is the change's)
 * @param changed            the objects created, replaced or deleted (a rule change is a change of its policy)
 * @param defaultRuleChanged the default rule changed
 */
public record ModelChangeEvent(ModelSnapshot before, ModelSnapshot after, List<ChangedObject> changed,
                               boolean defaultRuleChanged) {

    public ModelChangeEvent {
        changed = List.copyOf(changed);
    }

    /**
     * An object that changed.
     *
     * @param kind its kind
     * @param id   its id
     */
    public record ChangedObject(Kind<?> kind, String id) {
    }
}
