-- Care signals become a queue for the people who can help (DESIGN.md §7): where a signal arose
-- (its space's facilitators may help), the evidence it links to, and what helpers did.
ALTER TABLE help_signals ADD COLUMN space_id INTEGER REFERENCES spaces (id) ON DELETE SET NULL;
ALTER TABLE help_signals ADD COLUMN link TEXT NOT NULL DEFAULT '';
-- open, claimed, reached_out, resolved, not_needed
ALTER TABLE help_signals ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE help_signals ADD COLUMN claimed_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE help_signals ADD COLUMN updated_at TEXT;
CREATE INDEX help_signals_user_idx ON help_signals (user_id, id);
CREATE INDEX help_signals_space_idx ON help_signals (space_id, id);
CREATE INDEX help_signals_subject_idx ON help_signals (subject, kind);

-- What helpers did about a signal; the note is private to the helpers.
CREATE TABLE care_actions (
    id INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL REFERENCES help_signals (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX care_actions_signal_idx ON care_actions (signal_id, id);

-- Every view of a signal by someone other than its member, shown to the member. Append-only,
-- like the HR audit: the database refuses to change or delete it.
CREATE TABLE care_views (
    id INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    viewer_id INTEGER,
    relation TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX care_views_member_idx ON care_views (member_id, id);
CREATE TRIGGER care_views_no_update BEFORE UPDATE ON care_views
BEGIN
    SELECT RAISE(ABORT, 'the log of care views is append-only');
END;
CREATE TRIGGER care_views_no_delete BEFORE DELETE ON care_views
BEGIN
    SELECT RAISE(ABORT, 'the log of care views is append-only');
END;

-- A member's choice: pause the signals that are about their habits (non-essential kinds).
CREATE TABLE insight_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TEXT NOT NULL
);
