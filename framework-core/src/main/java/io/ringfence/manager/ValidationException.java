package io.ringfence.manager;

import java.util.List;

/** The submitted object is semantically invalid; {@link #violations()} names each offending field. */
public class ValidationException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        if (violations.isEmpty()) {
            return "invalid";
        }
        Violation first = violations.get(0);
        String s = first.field() + ": " + first.message();
        return violations.size() == 1 ? s : s + " (and " + (violations.size() - 1) + " more)";
    }
}
