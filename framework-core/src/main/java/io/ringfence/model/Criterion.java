package io.ringfence.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Dynamic group membership: a condition over a VM's attributes, or an AND/OR of criteria.
 *
 * <p>JSON shapes: {@code {"attribute":"TAG","operator":"EQUALS","value":"app:web"}},
 * {@code {"all":[...]}} (AND), {@code {"any":[...]}} (OR). The shape alone says which it is.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
        @JsonSubTypes.Type(Criterion.Condition.class),
        @JsonSubTypes.Type(Criterion.All.class),
        @JsonSubTypes.Type(Criterion.Any.class)})
@Schema(description = "A condition on a VM attribute, or an AND (all) / OR (any) of criteria",
        oneOf = {Criterion.Condition.class, Criterion.All.class, Criterion.Any.class})
public sealed interface Criterion {

    /** The VM attributes a condition can test. */
    enum Attribute {
        /** any of the VM's tags */
        TAG,
        /** the VM's name */
        NAME,
        /** the VM's guest OS */
        OS,
        /** the segment of any of the VM's vNICs */
        SEGMENT
    }

    /** How a condition compares; matching is case-sensitive. */
    enum Operator {
        EQUALS,
        NOT_EQUALS,
        STARTS_WITH,
        ENDS_WITH,
        CONTAINS
    }

    /**
     * A single test. For multi-valued attributes (TAG, SEGMENT) the positive operators hold when
     * some value matches, and NOT_EQUALS holds when no value equals {@code value}.
     */
    record Condition(Attribute attribute, Operator operator, String value) implements Criterion {
    }

    /** AND: every criterion holds. */
    record All(List<Criterion> all) implements Criterion {
        public All {
            all = Lists.copy(all);
        }
    }

    /** OR: at least one criterion holds. */
    record Any(List<Criterion> any) implements Criterion {
        public Any {
            any = Lists.copy(any);
        }
    }
}
