-- Email: each member's choice of notification emails and digests (off until they opt in), and
-- the secrets the server signs email tokens with (unsubscribe links, reply addresses).

CREATE TABLE email_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notifications BOOLEAN NOT NULL DEFAULT FALSE,
    -- off, daily or weekly
    digest TEXT NOT NULL DEFAULT 'off',
    -- The end of the period the last digest covered; the next one starts there.
    digest_sent_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX email_preferences_digest_idx ON email_preferences (digest, digest_sent_at);

-- Replies taken by email, by their Message-ID: a sending server that retries after losing our
-- answer must not post the same reply twice.
CREATE TABLE email_replies (
    message_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (user_id, message_id)
);

-- Made on first use; several instances share them through the database.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
