-- Sign-ins in progress: between the redirect to the provider and its callback. The state value travels in the
-- browser's short-lived login cookie and the provider's redirect; only its SHA-256 is kept. Each row is used once.
CREATE TABLE login_states (
    state_hash    char(64)    PRIMARY KEY,
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    redirect_uri  text        NOT NULL,
    return_to     text        NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX login_states_expires_idx ON login_states (expires_at);
