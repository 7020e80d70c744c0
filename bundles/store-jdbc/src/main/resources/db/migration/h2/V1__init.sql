-- Ringfence store, version 1, H2.
-- H2 commits the open transaction on every DDL statement, so a crash can leave this script half
-- applied and unrecorded: every statement here must be safe to run again (IF NOT EXISTS, guarded
-- inserts).
-- JSON is CLOB rather than VARCHAR: the store never queries inside it, and H2 keeps large CLOBs
-- out of the row, so scanning documents or audit_log does not drag megabytes of JSON along.

-- One row per object; revision is the global revision that last wrote it.
CREATE TABLE IF NOT EXISTS documents (
    kind     VARCHAR(64)  NOT NULL,
    id       VARCHAR(255) NOT NULL,
    revision BIGINT       NOT NULL,
    json     CLOB         NOT NULL,
    PRIMARY KEY (kind, id)
);

-- The global revision, in exactly one row: commits lock it (SELECT ... FOR UPDATE) to serialize writers.
CREATE TABLE IF NOT EXISTS model_revision (
    id       INT    NOT NULL PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL CHECK (revision >= 0)
);
INSERT INTO model_revision (id, revision) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM model_revision);

-- The change log; seq is the record's position within its change, so (revision, seq) orders
-- records totally and "newest first" is a backward scan of the primary key or of a filter index.
CREATE TABLE IF NOT EXISTS audit_log (
    revision    BIGINT       NOT NULL,
    seq         INT          NOT NULL,
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    principal   VARCHAR(255) NOT NULL,
    operation   VARCHAR(16)  NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),
    kind        VARCHAR(64)  NOT NULL,
    object_id   VARCHAR(255) NOT NULL,
    before_json CLOB,
    after_json  CLOB,
    PRIMARY KEY (revision, seq)
);
CREATE INDEX IF NOT EXISTS audit_log_kind_idx ON audit_log (kind, revision, seq);
CREATE INDEX IF NOT EXISTS audit_log_object_idx ON audit_log (object_id, revision, seq);
CREATE INDEX IF NOT EXISTS audit_log_principal_idx ON audit_log (principal, revision, seq);
