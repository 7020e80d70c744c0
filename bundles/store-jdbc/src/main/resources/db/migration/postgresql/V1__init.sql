-- Ringfence store, version 1, PostgreSQL.
-- Runs in one transaction (PostgreSQL DDL is transactional) under the migration lock.
-- JSON is TEXT, not JSONB: the store keeps the manager's JSON byte for byte and never queries
-- inside it; TEXT holds up to 1 GB (TOASTed out of line) and has no declared limit to outgrow.

-- One row per object; revision is the global revision that last wrote it.
CREATE TABLE documents (
    kind     VARCHAR(64)  NOT NULL,
    id       VARCHAR(255) NOT NULL,
    revision BIGINT       NOT NULL,
    json     TEXT         NOT NULL,
    PRIMARY KEY (kind, id)
);

-- The global revision, in exactly one row: commits lock it (SELECT ... FOR UPDATE) to serialize writers.
CREATE TABLE model_revision (
    id       INT    NOT NULL PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL CHECK (revision >= 0)
);
INSERT INTO model_revision (id, revision) VALUES (1, 0);

-- The change log; seq is the record's position within its change, so (revision, seq) orders
-- records totally and "newest first" is a backward scan of the primary key or of a filter index.
CREATE TABLE audit_log (
    revision    BIGINT       NOT NULL,
    seq         INT          NOT NULL,
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    principal   VARCHAR(255) NOT NULL,
    operation   VARCHAR(16)  NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),
    kind        VARCHAR(64)  NOT NULL,
    object_id   VARCHAR(255) NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    PRIMARY KEY (revision, seq)
);
CREATE INDEX audit_log_kind_idx ON audit_log (kind, revision, seq);
CREATE INDEX audit_log_object_idx ON audit_log (object_id, revision, seq);
CREATE INDEX audit_log_principal_idx ON audit_log (principal, revision, seq);
