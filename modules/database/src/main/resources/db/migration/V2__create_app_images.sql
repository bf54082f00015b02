-- The icon (kind 'icon', position 0) and screenshots (kind 'screenshot', position 0..n) of an app version.
-- The image bytes live in blob storage; this row is the pointer.
CREATE TABLE app_images (
    app_id     uuid     NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind       text     NOT NULL CHECK (kind IN ('icon', 'screenshot')),
    position   integer  NOT NULL CHECK (position >= 0),
    digest     char(64) NOT NULL,
    media_type text     NOT NULL,
    size       bigint   NOT NULL,
    width      integer  NOT NULL,
    height     integer  NOT NULL,
    PRIMARY KEY (app_id, kind, position)
);

CREATE INDEX app_images_digest_idx ON app_images (digest);
