package io.ringfence.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.store.AuditRecord.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test store keeps the ModelStore contract, or the manager's tests would prove nothing. */
class InMemoryModelStoreTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private final InMemoryModelStore store = new InMemoryModelStore();

    private static ModelChange change(long previous, List<Document> upserts, List<DocumentKey> deletes,
                                      List<AuditRecord> audit) {
        return new ModelChange(previous, previous + 1, upserts, deletes, audit);
    }

    private static Document doc(String kind, String id, long revision) {
        return new Document(new DocumentKey(kind, id), revision, "{\"id\":\"" + id + "\"}");
    }

    private static AuditRecord record(long revision, String principal, String kind, String id) {
        return new AuditRecord(revision, T0, principal, Operation.CREATE, kind, id, null, "{}");
    }

    @Test
    void newStoreIsEmpty() {
        assertThat(store.load()).isEqualTo(new StoredModel(0, List.of()));
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null))).isEqualTo(new AuditPage(0, List.of()));
        assertThat(store.revision()).isZero();
    }

    @Test
    void commitAppliesUpsertsDeletesAuditAndRevision() {
        store.commit(change(0, List.of(doc("vm", "v1", 1), doc("host", "h1", 1)), List.of(),
                List.of(record(1, "a", "host", "h1"), record(1, "a", "vm", "v1"))));
        store.commit(change(1, List.of(doc("host", "h1", 2)), List.of(new DocumentKey("vm", "v1")),
                List.of(record(2, "b", "host", "h1"))));

        StoredModel loaded = store.load();
        assertThat(loaded.revision()).isEqualTo(2);
        assertThat(loaded.documents()).containsExactly(doc("host", "h1", 2));
        assertThat(store.document("host", "h1")).contains(doc("host", "h1", 2));
        assertThat(store.document("vm", "v1")).isEmpty();
        assertThat(store.commits()).extracting(ModelChange::revision).containsExactly(1L, 2L);
    }

    @Test
    void documentsLoadOrderedByKindThenId() {
        store.commit(change(0, List.of(doc("vm", "b", 1), doc("host", "z", 1), doc("vm", "a", 1)), List.of(),
                List.of()));
        assertThat(store.load().documents()).extracting(d -> d.key().kind() + "/" + d.key().id())
                .containsExactly("host/z", "vm/a", "vm/b");
    }

    @Test
    void staleRevisionConflictsAndAppliesNothing() {
        store.commit(change(0, List.of(doc("host", "h1", 1)), List.of(), List.of(record(1, "a", "host", "h1"))));
        StoredModel before = store.load();

        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h2", 1)),
                List.of(new DocumentKey("host", "h1")), List.of(record(1, "m", "host", "h2")))))
                .isInstanceOf(StoreConflictException.class)
                .hasMessage("store is at revision 1, change was computed against 0");
        assertThatThrownBy(() -> store.commit(change(2, List.of(), List.of(), List.of())))
                .isInstanceOf(StoreConflictException.class);

        assertThat(store.load()).isEqualTo(before);
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).total()).isEqualTo(1);
        assertThat(store.commits()).hasSize(1);
    }

    @Test
    void failNextCommitFailsOnceAndAppliesNothing() {
        store.failNextCommit();
        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h1", 1)), List.of(),
                List.of(record(1, "a", "host", "h1")))))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreConflictException.class);
        assertThat(store.load()).isEqualTo(new StoredModel(0, List.of()));
        assertThat(store.audit(new AuditQuery(0, 10, null, null, null)).total()).isZero();

        // only once
        store.commit(change(0, List.of(doc("host", "h1", 1)), List.of(), List.of(record(1, "a", "host", "h1"))));
        assertThat(store.revision()).isEqualTo(1);

        StoreException custom = new StoreException("disk full");
        store.failNextCommit(custom);
        assertThatThrownBy(() -> store.commit(change(1, List.of(), List.of(), List.of()))).isSameAs(custom);
        assertThat(store.revision()).isEqualTo(1);
    }

    @Test
    void failAfterApplyingAppliesThenThrows() {
        store.failNextCommitAfterApplying();
        assertThatThrownBy(() -> store.commit(change(0, List.of(doc("host", "h1", 1)), List.of(),
                List.of(record(1, "a", "host", "h1"))))).isInstanceOf(StoreException.class);
        assertThat(store.revision()).isEqualTo(1);
        assertThat(store.document("host", "h1")).isPresent();
        store.commit(change(1, List.of(doc("host", "h2", 2)), List.of(), List.of()));
        assertThat(store.revision()).isEqualTo(2);
    }

    @Test
    void auditIsPagedNewestFirstWithFiltersAndTotals() {
        // revision r creates host h<r> (alice when odd, bob when even) and, from r = 2, updates vm v1
        for (int r = 1; r <= 6; r++) {
            List<AuditRecord> records = new ArrayList<>();
            records.add(record(r, r % 2 == 1 ? "alice" : "bob", "host", "h" + r));
            if (r > 1) {
                records.add(new AuditRecord(r, T0, "bob", Operation.UPDATE, "vm", "v1", "{}", "{}"));
            }
            store.commit(change(r - 1, List.of(doc("host", "h" + r, r)), List.of(), records));
        }

        AuditPage all = store.audit(new AuditQuery(0, 100, null, null, null));
        assertThat(all.total()).isEqualTo(11);
        assertThat(all.records()).extracting(r -> r.revision() + ":" + r.objectId()).containsExactly(
                "6:v1", "6:h6", "5:v1", "5:h5", "4:v1", "4:h4", "3:v1", "3:h3", "2:v1", "2:h2", "1:h1");
        assertThat(store.auditLog()).isEqualTo(all.records());

        AuditPage second = store.audit(new AuditQuery(3, 3, null, null, null));
        assertThat(second.total()).isEqualTo(11);
        assertThat(second.records()).extracting(r -> r.revision() + ":" + r.objectId())
                .containsExactly("5:h5", "4:v1", "4:h4");

        AuditPage hosts = store.audit(new AuditQuery(0, 2, "host", null, null));
        assertThat(hosts.total()).isEqualTo(6);
        assertThat(hosts.records()).extracting(AuditRecord::objectId).containsExactly("h6", "h5");

        AuditPage vm = store.audit(new AuditQuery(1, 10, null, "v1", null));
        assertThat(vm.total()).isEqualTo(5);
        assertThat(vm.records()).extracting(AuditRecord::revision).containsExactly(5L, 4L, 3L, 2L);

        AuditPage alice = store.audit(new AuditQuery(0, 10, null, null, "alice"));
        assertThat(alice.total()).isEqualTo(3);
        assertThat(alice.records()).extracting(AuditRecord::objectId).containsExactly("h5", "h3", "h1");

        assertThat(store.audit(new AuditQuery(0, 10, "host", null, "bob")).records())
                .extracting(AuditRecord::objectId).containsExactly("h6", "h4", "h2");
        assertThat(store.audit(new AuditQuery(0, 10, "host", "h4", "bob")).total()).isEqualTo(1);
        assertThat(store.audit(new AuditQuery(0, 10, "vm", "h4", null))).isEqualTo(new AuditPage(0, List.of()));
        assertThat(store.audit(new AuditQuery(50, 10, null, null, null))).isEqualTo(new AuditPage(11, List.of()));
        assertThat(store.audit(new AuditQuery(0, 0, null, null, null))).isEqualTo(new AuditPage(11, List.of()));
        assertThat(store.audit(new AuditQuery(10, Integer.MAX_VALUE, null, null, null)).records()).hasSize(1);
    }

    @Test
    void concurrentWritersNeverInterleave() throws Exception {
        int writers = 8;
        int commitsEach = 50;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                Callable<Integer> task = () -> {
                    start.await();
                    int conflicts = 0;
                    int done = 0;
                    while (done < commitsEach) {
                        long base = store.load().revision();
                        try {
                            store.commit(change(base, List.of(doc("host", writer + "-" + done, base + 1)), List.of(),
                                    List.of(record(base + 1, writer, "host", writer + "-" + done))));
                            done++;
                        } catch (StoreConflictException e) {
                            conflicts++;
                        }
                    }
                    return conflicts;
                };
                results.add(executor.submit(task));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        int total = writers * commitsEach;
        assertThat(store.revision()).isEqualTo(total);
        assertThat(store.load().documents()).hasSize(total);
        assertThat(store.commits()).extracting(ModelChange::previousRevision)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, total).boxed().toList());
        assertThat(store.audit(new AuditQuery(0, 1, null, null, "w3")).total()).isEqualTo(commitsEach);
    }
}
