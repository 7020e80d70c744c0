package io.ringfence.store;

/**
 * Identifies one stored document.
 *
 * @param kind the object kind ({@code host}, {@code vm}, ... or {@code setting})
 * @param id   the object id within its kind
 */
public record DocumentKey(String kind, String id) {
    public DocumentKey {
        if (kind == null || id == null) {
            throw new IllegalArgumentException("kind and id are required");
        }
    }
}
