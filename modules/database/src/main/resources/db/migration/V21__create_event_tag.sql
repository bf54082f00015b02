-- The journal's tags (pekko-persistence-jdbc): the history's projection reads its events by tag.
CREATE TABLE event_tag (
    event_id BIGINT       NOT NULL REFERENCES event_journal (ordering) ON DELETE CASCADE,
    tag      VARCHAR(256) NOT NULL,
    PRIMARY KEY (event_id, tag)
);
