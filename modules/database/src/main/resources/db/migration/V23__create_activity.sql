-- The queryable activity history: one row per journal event, written by the history's projection.
-- (persistence_id, sequence_number) is the event's identity: a projection that replays an event writes nothing twice.
CREATE TABLE activity (
    persistence_id  VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    journal_offset  BIGINT       NOT NULL,
    fact_id         VARCHAR(64)  NOT NULL,
    at              TIMESTAMPTZ  NOT NULL,
    kind            VARCHAR(64)  NOT NULL,
    actor_type      VARCHAR(16)  NOT NULL,
    actor_id        VARCHAR(255) NOT NULL,
    subject_type    VARCHAR(16)  NOT NULL,
    subject_id      VARCHAR(255) NOT NULL,
    instance_id     VARCHAR(64),
    app_name        VARCHAR(255),
    app_version     VARCHAR(255),
    owner_id        VARCHAR(255),
    -- For instance events: whether the instance runs after this event (usage is the time between true and false).
    running         BOOLEAN,
    details         JSONB        NOT NULL DEFAULT '{}',
    PRIMARY KEY (persistence_id, sequence_number)
);

CREATE INDEX activity_at_idx ON activity (at DESC, journal_offset DESC);
CREATE INDEX activity_instance_idx ON activity (instance_id, at);
CREATE INDEX activity_app_idx ON activity (app_name, at);
CREATE INDEX activity_owner_idx ON activity (owner_id, at);
CREATE INDEX activity_actor_idx ON activity (actor_id, at);
