-- Single sign-on (issue 5): accounts at identity providers, keyed on (issuer, subject) because
-- an email address can change or be reused at the provider while the subject cannot; and the
-- short-lived, single-use state of a sign-in between leaving for the provider and coming back.

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NOT NULL
);
CREATE UNIQUE INDEX identities_issuer_subject_idx ON identities (issuer, subject);
CREATE INDEX identities_user_idx ON identities (user_id);

-- One row per sign-in in flight: found by the hash of `state`, bound to the browser by the hash
-- of a random cookie, deleted when the provider sends the person back (so it works once).
CREATE TABLE oidc_logins (
    id INTEGER PRIMARY KEY,
    state_hash TEXT NOT NULL,
    browser_hash TEXT NOT NULL,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE UNIQUE INDEX oidc_logins_state_idx ON oidc_logins (state_hash);
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at);
