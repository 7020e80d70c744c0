package io.ringfence.manager;

/** A change to the model was refused; nothing was changed. */
public abstract class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ModelException(String message) {
        super(message);
    }
}
