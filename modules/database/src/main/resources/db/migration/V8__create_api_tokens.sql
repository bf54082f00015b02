-- Personal API tokens (wst_...): the raw token is shown once at creation, only its SHA-256 is kept. A token acts
-- as its owner with the roles and groups the owner had when last seen signing in (refreshed at every sign-in).
CREATE TABLE api_tokens (
    id           uuid        PRIMARY KEY,
    token_hash   char(64)    NOT NULL UNIQUE,
    user_id      text        NOT NULL,
    name         text        NOT NULL,
    -- The first characters of the token, so that people can tell their tokens apart.
    hint         text        NOT NULL,
    user_name    text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('VISITOR', 'FULL_USER', 'ADMIN')),
    claim_roles  text[]      NOT NULL DEFAULT '{}',
    groups       text[]      NOT NULL DEFAULT '{}',
    -- Created with the development identity: never accepted once the store signs people in with OIDC.
    development  boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz
);

CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
