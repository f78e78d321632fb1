-- Accountability partners (issue 6). A scope is a cohort (space_id) or the whole organisation
-- (space_id NULL, scope_key 0). Check-ins belong to the pair: facilitators read only dates.

-- Who wants a partner, where, and what matching needs from them.
CREATE TABLE partner_opt_ins (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    scope_key INTEGER NOT NULL,
    focus TEXT NOT NULL DEFAULT '',
    work_start INTEGER NOT NULL,
    work_end INTEGER NOT NULL,
    ask_again_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX partner_opt_ins_scope_user_idx ON partner_opt_ins (scope_key, user_id);
CREATE INDEX partner_opt_ins_user_idx ON partner_opt_ins (user_id);

-- Per scope: whether pairs form by themselves every week, and when they last did.
CREATE TABLE partner_rounds (
    scope_key INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    weekly BOOLEAN NOT NULL DEFAULT FALSE,
    last_round_at TEXT
);

CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    scope_key INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    check_in_weekday INTEGER NOT NULL,
    -- JSON array of the sentences both people read ("shared goal …").
    reasons TEXT NOT NULL,
    formed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    formed_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partnerships_scope_idx ON partnerships (scope_key, status, id);

-- "Nobody is in two pairs of one cohort", kept by the database: one active membership per
-- person per scope.
CREATE TABLE partnership_members (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope_key INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (partnership_id, user_id)
);
CREATE UNIQUE INDEX partnership_members_one_active_idx
    ON partnership_members (scope_key, user_id) WHERE active;
CREATE INDEX partnership_members_user_idx ON partnership_members (user_id, active);

CREATE TABLE partner_goals (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    by_when TEXT NOT NULL,
    how_known TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX partner_goals_pair_idx ON partner_goals (partnership_id, user_id);

-- One check-in per person per week ("period": the week from the pair's check-in day).
CREATE TABLE check_ins (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    progress INTEGER NOT NULL,
    did TEXT NOT NULL,
    blockers TEXT NOT NULL,
    next_step TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX check_ins_period_idx ON check_ins (partnership_id, user_id, period);
CREATE INDEX check_ins_pair_idx ON check_ins (partnership_id, id);

CREATE TABLE check_in_replies (
    id INTEGER PRIMARY KEY,
    check_in_id INTEGER NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX check_in_replies_idx ON check_in_replies (check_in_id, id);

-- Reminders sent, so each person hears once per week.
CREATE TABLE check_in_reminders (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    PRIMARY KEY (partnership_id, user_id, period)
);

-- A member asks the facilitator, privately, for a new partner.
CREATE TABLE partner_change_requests (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope_key INTEGER NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX partner_change_requests_scope_idx ON partner_change_requests (scope_key, status, id);

-- Care signals ("may need help"), read by the insights work: the fact and why, never a score.
-- A run of missed check-ins is recorded once (subject + period name the run).
CREATE TABLE help_signals (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    period TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX help_signals_once_idx ON help_signals (user_id, kind, subject, period);

-- Notifications about things other than threads (a new partner, a check-in) carry their own
-- local link.
ALTER TABLE notifications ADD COLUMN link TEXT NOT NULL DEFAULT '';
