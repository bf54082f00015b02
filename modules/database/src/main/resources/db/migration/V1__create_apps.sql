-- One row per app version. A version is immutable once imported: only visibility and tags change.
CREATE TABLE apps (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL,
    version          text        NOT NULL,
    -- Orders versions of one app (numeric parts compare as numbers); computed by the importer.
    version_key      text        COLLATE "C" NOT NULL,
    title            text        NOT NULL,
    description      text        NOT NULL,
    long_description text,
    owner_id         text        NOT NULL,
    visibility       text        NOT NULL CHECK (visibility IN ('PRIVATE', 'ALL_USERS', 'PUBLIC')),
    lifecycle        text        NOT NULL CHECK (lifecycle IN ('ON_DEMAND', 'MANAGED', 'LINK')),
    -- The whole validated manifest (runtime spec, env, files, link): what the scheduler starts from.
    manifest         jsonb       NOT NULL,
    bundle_digest    char(64)    NOT NULL,
    bundle_size      bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT apps_name_version_unique UNIQUE (name, version)
);

CREATE INDEX apps_owner_idx ON apps (owner_id);
CREATE INDEX apps_name_key_idx ON apps (name, version_key DESC);
