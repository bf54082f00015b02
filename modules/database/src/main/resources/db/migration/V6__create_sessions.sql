-- Browser sessions of users signed in with OIDC. The cookie holds a random id; only its SHA-256 is kept here, so
-- a copy of this table cannot be replayed as cookies. Any replica serves any session; a restart signs nobody out.
CREATE TABLE sessions (
    id_hash           char(64)    PRIMARY KEY,
    user_id           text        NOT NULL,
    -- The ID token's claims at sign-in or the last refresh: roles and groups are mapped from them per request.
    claims            jsonb       NOT NULL,
    -- Sent back in X-CSRF-Token by state-changing requests made with the cookie.
    csrf_token        text        NOT NULL,
    -- The provider's refresh token, encrypted (AES-GCM) by the store; null when there is none or no key.
    refresh_token     text,
    -- The last ID token, the hint for the provider's end-session endpoint at sign-out.
    id_token          text,
    -- When the provider's access token expires: then the session refreshes with the refresh token.
    access_expires_at timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL
);

CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
