-- Nexus (issue 15): people from other platforms, where a post came from, and ActivityPub.
--
-- A person on another platform (a fediverse account, a Matrix user, a tool posting through a
-- webhook) is a `users` row with status 'remote': it can author posts, be held for review and be
-- blocked like anyone, but it never signs in (no password, no identity) and every list of
-- members filters on status 'active'. Its address on its own platform lives here.
CREATE TABLE remote_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- fediverse, matrix, webhook
    platform TEXT NOT NULL,
    -- Its stable id there: an actor URL, a Matrix user id, a connector id.
    address TEXT NOT NULL,
    -- Shown instead of a name: handle@server, never as a verified local name.
    handle TEXT NOT NULL,
    server TEXT NOT NULL,
    profile_url TEXT NOT NULL DEFAULT '',
    inbox TEXT NOT NULL DEFAULT '',
    shared_inbox TEXT NOT NULL DEFAULT '',
    public_key_id TEXT NOT NULL DEFAULT '',
    public_key_pem TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL,
    blocked_at TEXT,
    blocked_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX remote_accounts_address_idx ON remote_accounts (platform, address);
CREATE INDEX remote_accounts_key_idx ON remote_accounts (public_key_id);

-- Where a post was written (guildhall, fediverse, matrix, webhook, email) and its id there, so
-- that edits and deletions from that platform find it (ids are unique per platform).
ALTER TABLE posts ADD COLUMN origin TEXT NOT NULL DEFAULT 'guildhall';
ALTER TABLE posts ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX posts_remote_idx ON posts (origin, remote_id);

-- One row: whether this instance federates, with whom, and its key. Off by default; when on,
-- only servers on the allow list are heard ('allowlist'), or everyone but the block list ('open').
CREATE TABLE federation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    mode TEXT NOT NULL DEFAULT 'allowlist',
    -- NodeInfo usage counts (members, posts) may be withheld.
    share_usage BOOLEAN NOT NULL DEFAULT TRUE,
    -- The instance's RSA key signs for every local actor (groups and people): one key to keep
    -- safe and to rotate, and remote caches keyed by keyId stay valid across restarts.
    private_key_pem TEXT NOT NULL DEFAULT '',
    public_key_pem TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- Servers allowed (allowlist mode) or blocked (open mode), by host name.
CREATE TABLE federation_servers (
    host TEXT PRIMARY KEY,
    policy TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Spaces whose Group actor is federated (open or public spaces only).
CREATE TABLE federated_spaces (
    space_id INTEGER PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    since TEXT NOT NULL
);

-- Remote actors following a space's Group actor.
CREATE TABLE space_followers (
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    follow_activity TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (space_id, follower_id)
);
CREATE INDEX space_followers_follower_idx ON space_followers (follower_id);

-- Activity ids already handled: a replayed activity changes nothing.
CREATE TABLE inbound_activities (
    activity_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX inbound_activities_received_idx ON inbound_activities (received_at);
