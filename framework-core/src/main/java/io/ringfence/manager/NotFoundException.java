package io.ringfence.manager;

/** The object addressed does not exist. */
public class NotFoundException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String id;

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' does not exist");
        this.kind = kind;
        this.id = id;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
