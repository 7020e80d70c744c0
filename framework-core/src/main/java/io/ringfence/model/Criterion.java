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

    /** Whether the criterion holds for {@code vm}; matching is case-sensitive. */
    boolean matches(Vm vm);

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

        @Override
        public boolean matches(Vm vm) {
            List<String> values = switch (attribute) {
                case TAG -> vm.tags();
                case NAME -> vm.name() == null ? List.of() : List.of(vm.name());
                case OS -> vm.os() == null ? List.of() : List.of(vm.os());
                case SEGMENT -> segments(vm);
            };
            if (operator == Operator.NOT_EQUALS) {
                return !values.contains(value);
            }
            for (String v : values) {
                boolean hit = switch (operator) {
                    case EQUALS -> v.equals(value);
                    case STARTS_WITH -> v.startsWith(value);
                    case ENDS_WITH -> v.endsWith(value);
                    case CONTAINS -> v.contains(value);
                    case NOT_EQUALS -> false;
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }

        private static List<String> segments(Vm vm) {
            List<String> segments = new java.util.ArrayList<>(vm.vnics().size());
            for (Vnic n : vm.vnics()) {
                if (n.segment() != null) {
                    segments.add(n.segment());
                }
            }
            return segments;
        }
    }

    /** AND: every criterion holds. */
    record All(List<Criterion> all) implements Criterion {
        public All {
            all = Lists.copy(all);
        }

        @Override
        public boolean matches(Vm vm) {
            for (Criterion c : all) {
                if (!c.matches(vm)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** OR: at least one criterion holds. */
    record Any(List<Criterion> any) implements Criterion {
        public Any {
            any = Lists.copy(any);
        }

        @Override
        public boolean matches(Vm vm) {
            for (Criterion c : any) {
                if (c.matches(vm)) {
                    return true;
                }
            }
            return false;
        }
    }
}
