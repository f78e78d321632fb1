-- The community's rules (DESIGN.md §6): code of conduct versions and acceptances, the
-- organisation's word and link rules, blocked attempts kept as evidence, hidden content, reports
-- and the review queue, sanctions and appeals, the public moderation log, and HR cases with their
-- append-only audit log.

CREATE TABLE conduct_versions (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    published_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE conduct_acceptances (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL REFERENCES conduct_versions (version),
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, version)
);

CREATE TABLE word_rules (
    id INTEGER PRIMARY KEY,
    pattern TEXT NOT NULL,
    action TEXT NOT NULL,
    replacement TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX word_rules_pattern_idx ON word_rules (pattern);

CREATE TABLE link_rules (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX link_rules_domain_idx ON link_rules (domain);

CREATE TABLE blocked_attempts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    place TEXT NOT NULL,
    content TEXT NOT NULL,
    verdict TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX blocked_attempts_user_idx ON blocked_attempts (user_id, id);

ALTER TABLE threads ADD COLUMN hidden_at TEXT;
ALTER TABLE posts ADD COLUMN hidden_at TEXT;
-- A reply held when it was written is not counted in its thread (nor moves it up the feeds)
-- until a moderator approves it.
ALTER TABLE posts ADD COLUMN counted BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE review_items (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    severity INTEGER NOT NULL,
    report_count INTEGER NOT NULL DEFAULT 0,
    excerpt TEXT NOT NULL,
    verdict TEXT,
    status TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at TEXT,
    decision_reason TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX review_items_open_subject_idx ON review_items (subject_kind, subject_id) WHERE status = 'open';
CREATE INDEX review_items_queue_idx ON review_items (status, severity DESC, report_count DESC, created_at);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    review_item_id INTEGER NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_once_idx ON reports (review_item_id, reporter_id);
CREATE INDEX reports_reporter_idx ON reports (reporter_id, id);

CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    review_item_id INTEGER REFERENCES review_items (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    ends_at TEXT,
    acknowledged_at TEXT,
    lifted_at TEXT
);
CREATE INDEX sanctions_user_idx ON sanctions (user_id, id);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    sanction_id INTEGER NOT NULL REFERENCES sanctions (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    statement TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at TEXT,
    outcome TEXT,
    note TEXT
);
CREATE UNIQUE INDEX appeals_once_idx ON appeals (sanction_id);

CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    role TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE hr_cases (
    id INTEGER PRIMARY KEY,
    subject_user_id INTEGER NOT NULL REFERENCES users (id),
    source TEXT NOT NULL,
    opened_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    outcome_note TEXT,
    evidence TEXT NOT NULL,
    member_told_at TEXT,
    appeal TEXT,
    appealed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hr_cases_status_idx ON hr_cases (status, id);
CREATE INDEX hr_cases_subject_idx ON hr_cases (subject_user_id, id);

CREATE TABLE hr_case_notes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES hr_cases (id),
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX hr_case_notes_case_idx ON hr_case_notes (case_id, id);

CREATE TABLE hr_audit (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES hr_cases (id),
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX hr_audit_case_idx ON hr_audit (case_id, id);

-- The HR audit log is evidence: the database itself refuses to change or delete it.
CREATE TRIGGER hr_audit_no_update BEFORE UPDATE ON hr_audit
BEGIN
    SELECT RAISE(ABORT, 'the HR audit log is append-only');
END;
CREATE TRIGGER hr_audit_no_delete BEFORE DELETE ON hr_audit
BEGIN
    SELECT RAISE(ABORT, 'the HR audit log is append-only');
END;
