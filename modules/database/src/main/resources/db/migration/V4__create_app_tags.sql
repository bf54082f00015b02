CREATE TABLE app_tags (
    app_id   uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tag_name text NOT NULL REFERENCES tags (name) ON DELETE CASCADE,
    PRIMARY KEY (app_id, tag_name)
);

CREATE INDEX app_tags_tag_idx ON app_tags (tag_name);
