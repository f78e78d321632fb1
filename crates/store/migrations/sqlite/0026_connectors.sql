-- Connectors (issue 15): a space's conversation sent to chat platforms (Slack, Teams, Discord,
-- Mattermost, signed JSON webhooks), received from tools (incoming webhooks) and mirrored with a
-- Matrix room. Deliveries are outbox rows; `connector_deliveries` says which connector each is
-- for, so a connector's page shows its own dead letters.

CREATE TABLE connectors (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- A webhook URL, a Matrix room id or alias; empty for incoming webhooks.
    target TEXT NOT NULL,
    -- The HMAC key a signed webhook signs with (kept: signing needs it; shown once).
    signing_secret TEXT,
    -- SHA-256 of an incoming webhook's bearer token (only verification is needed).
    token_hash TEXT,
    active BOOLEAN NOT NULL,
    -- 'new', 'ok' or 'failing'.
    status TEXT NOT NULL,
    last_error TEXT,
    last_success_at TEXT,
    last_failure_at TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX connectors_space_idx ON connectors (space_id, id);

-- Which posts went to (or came from) a connector, and their id there (a Matrix event id):
-- edits and deletions follow through it, and a post goes out once per connector.
CREATE TABLE connector_posts (
    id INTEGER PRIMARY KEY,
    connector_id INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- 'out' (sent from here) or 'in' (arrived from the connector).
    direction TEXT NOT NULL,
    remote_id TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX connector_posts_once_idx ON connector_posts (connector_id, post_id);
CREATE INDEX connector_posts_remote_idx ON connector_posts (connector_id, remote_id);

CREATE TABLE connector_deliveries (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    connector_id INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX connector_deliveries_connector_idx ON connector_deliveries (connector_id, outbox_id);

-- Message ids already accepted (webhook-id headers, Matrix transaction ids): a replay within
-- the timestamp tolerance is refused, a repeated Matrix transaction answered without effect.
CREATE TABLE connector_seen (
    connector_id INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (connector_id, message_id)
);
CREATE INDEX connector_seen_at_idx ON connector_seen (seen_at);

-- Matrix transactions already handled: the homeserver sends a transaction again until it gets
-- an answer, and each must take effect once.
CREATE TABLE matrix_transactions (
    txn_id TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);
