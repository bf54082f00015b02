-- Tags group apps in the gallery; their visitor roles open ALL_USERS apps to visitors with those roles.
CREATE TABLE tags (
    name          text        PRIMARY KEY,
    title         text        NOT NULL,
    color         text        NOT NULL,
    description   text        NOT NULL DEFAULT '',
    visitor_roles text[]      NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);
