-- Email: each member's choice of notification emails and digests (off until they opt in), and
-- the secrets the server signs email tokens with (unsubscribe links, reply addresses).

CREATE TABLE email_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notifications BOOLEAN NOT NULL DEFAULT FALSE,
    -- off, daily or weekly
    digest TEXT NOT NULL DEFAULT 'off',
    -- The end of the period the last digest covered; the next one starts there.
    digest_sent_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_preferences_digest_idx ON email_preferences (digest, digest_sent_at);

-- Made on first use; several instances share them through the database.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
