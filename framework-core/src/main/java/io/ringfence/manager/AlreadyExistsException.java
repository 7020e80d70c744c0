package io.ringfence.manager;

/** A create named an id that is already taken. */
public class AlreadyExistsException extends ModelException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String kind, String id) {
        super(kind + " '" + id + "' already exists");
    }
}
