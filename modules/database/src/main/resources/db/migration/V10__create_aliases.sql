-- Aliases: stable names that admins give instances, used by the router in place of instance ids
-- (/instance/<alias>/ or <alias>.<apps-domain>). An alias outlives the instance it points to: it keeps its URL
-- when an admin points it at the instance of a newer app version, and answers 404 while its instance is gone.
-- Instance ids (i-...) live in Kubernetes, never here, so instance_id is not a foreign key.
CREATE TABLE aliases (
    name        text        PRIMARY KEY CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' AND name NOT LIKE 'i-%'),
    instance_id text,
    is_primary  boolean     NOT NULL DEFAULT false,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT aliases_primary_needs_instance CHECK (NOT is_primary OR instance_id IS NOT NULL)
);

CREATE INDEX aliases_instance_idx ON aliases (instance_id);
-- At most one primary alias per instance: the URL every other alias and the id redirect to.
CREATE UNIQUE INDEX aliases_one_primary_idx ON aliases (instance_id) WHERE is_primary;
