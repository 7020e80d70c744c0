package io.ringfence.store;

import java.util.List;

/**
 * The committed state: the global revision and every document.
 *
 * @param revision  the revision of the last commit (0 when nothing was ever committed)
 * @param documents all documents
 */
public record StoredModel(long revision, List<Document> documents) {
    public StoredModel {
        documents = List.copyOf(documents);
    }
}
