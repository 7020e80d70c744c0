package io.ringfence.manager;

import java.util.List;
import java.util.stream.Collectors;

/** An object cannot be deleted while others refer to it; {@link #users()} lists them. */
public class InUseException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final List<Reference> users;

    public InUseException(String kind, String id, List<Reference> users) {
        super(kind + " '" + id + "' is still used by " + users.stream()
                .map(r -> r.kind() + " '" + r.id() + "'" + (r.parentId() != null ? " of policy '" + r.parentId() + "'" : ""))
                .collect(Collectors.joining(", ")));
        this.users = List.copyOf(users);
    }

    public List<Reference> users() {
        return users;
    }
}
