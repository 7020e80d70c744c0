package io.ringfence.store;

/**
 * One stored object.
 *
 * @param key      what it is
 * @param revision the global revision that last wrote it
 * @param json     its JSON form, as produced by the model's mapper
 */
public record Document(DocumentKey key, long revision, String json) {
}
