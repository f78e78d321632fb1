-- Rewards (issue 14): an append-only points ledger with totals kept beside it, kudos, badges
-- and their awards (each also an Open Badges 3.0 credential), leaderboard choices.

-- Every point earned or reversed. A reversal is a line of its own (negative points), so the
-- history is never rewritten; the database refuses updates and deletes.
CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    rule TEXT NOT NULL,
    points INTEGER NOT NULL,
    -- What the rule counted (the weeks of a check-in streak); 1 otherwise.
    quantity INTEGER NOT NULL DEFAULT 1,
    -- What earned it: 'post', 'event', 'session', 'partnership', 'idea', 'resource'.
    source_kind TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    space_id INTEGER REFERENCES spaces (id),
    reverses_id INTEGER REFERENCES points_ledger (id),
    created_at TEXT NOT NULL
);
-- One award per person, rule, source and actor: a reaction withdrawn and given again, or an
-- effect delivered twice, earns once.
CREATE UNIQUE INDEX points_ledger_once_idx
    ON points_ledger (user_id, rule, source_kind, source_id, COALESCE(actor_id, 0), quantity)
    WHERE reverses_id IS NULL;
CREATE UNIQUE INDEX points_ledger_reversed_once_idx ON points_ledger (reverses_id)
    WHERE reverses_id IS NOT NULL;
CREATE INDEX points_ledger_user_idx ON points_ledger (user_id, id);
CREATE INDEX points_ledger_rule_idx ON points_ledger (user_id, rule, created_at);
CREATE INDEX points_ledger_source_idx ON points_ledger (source_kind, source_id);
CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger
BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;

-- Totals kept in the ledger's transaction, so that no page sums the ledger.
CREATE TABLE points_totals (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    points INTEGER NOT NULL
);
-- Per space and month, for the leaderboards that spaces may turn on.
CREATE TABLE space_points (
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    points INTEGER NOT NULL,
    PRIMARY KEY (space_id, month, user_id)
);
CREATE INDEX space_points_rank_idx ON space_points (space_id, month, points DESC, user_id);

ALTER TABLE spaces ADD COLUMN leaderboard BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE reward_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    on_leaderboards BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TEXT NOT NULL
);

-- A short public thank-you, content-checked like a post.
CREATE TABLE kudos (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES users (id),
    to_id INTEGER NOT NULL REFERENCES users (id),
    message TEXT NOT NULL,
    hidden_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX kudos_to_idx ON kudos (to_id, id);
CREATE INDEX kudos_from_idx ON kudos (from_id, created_at);

CREATE TABLE badges (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    criteria TEXT NOT NULL,
    emoji TEXT NOT NULL,
    -- 'auto' (the platform's rules) or 'manual' (a facilitator awards it with a reason).
    kind TEXT NOT NULL,
    space_id INTEGER REFERENCES spaces (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX badges_slug_idx ON badges (slug);

CREATE TABLE badge_awards (
    id INTEGER PRIMARY KEY,
    badge_id INTEGER NOT NULL REFERENCES badges (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    awarded_by INTEGER REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT '',
    -- The credential's stable public id (its URL's last segment). Its bit in the revocation
    -- status list is the award's id.
    credential_key TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX badge_awards_once_idx ON badge_awards (badge_id, user_id);
CREATE UNIQUE INDEX badge_awards_key_idx ON badge_awards (credential_key);
CREATE INDEX badge_awards_user_idx ON badge_awards (user_id, id);
CREATE INDEX badge_awards_badge_idx ON badge_awards (badge_id, id);

-- The issuer's signing keys (Ed25519 seeds); the newest signs, older ones still verify.
CREATE TABLE credential_keys (
    id INTEGER PRIMARY KEY,
    seed TEXT NOT NULL,
    created_at TEXT NOT NULL
);
