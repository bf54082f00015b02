-- The activity history's journal, written by pekko-persistence-jdbc (its table layout, PostgreSQL flavour).
-- One row per event of a persistent entity; "ordering" is the global order the history's projection follows.
CREATE TABLE event_journal (
    ordering          BIGSERIAL,
    persistence_id    VARCHAR(255) NOT NULL,
    sequence_number   BIGINT       NOT NULL,
    deleted           BOOLEAN      NOT NULL DEFAULT FALSE,
    writer            VARCHAR(255) NOT NULL,
    write_timestamp   BIGINT,
    adapter_manifest  VARCHAR(255),
    event_ser_id      INTEGER      NOT NULL,
    event_ser_manifest VARCHAR(255) NOT NULL,
    event_payload     BYTEA        NOT NULL,
    meta_ser_id       INTEGER,
    meta_ser_manifest VARCHAR(255),
    meta_payload      BYTEA,
    PRIMARY KEY (persistence_id, sequence_number)
);

CREATE UNIQUE INDEX event_journal_ordering_idx ON event_journal (ordering);
-- Retention deletes by age.
CREATE INDEX event_journal_write_timestamp_idx ON event_journal (write_timestamp);
