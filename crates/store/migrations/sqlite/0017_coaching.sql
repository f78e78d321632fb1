-- Coaching (issue 6): coach profiles (an application until an administrator or facilitator
-- approves it), the skills each coach offers, requests from learners, sessions, private notes
-- (one per session and side, read only by their author) and the learner's rating of a session.
-- Availability and preferred times are canonical text ("Tue 09:00-11:00", one a line) read by
-- `domain::coaching::availability`; they are never queried in SQL.

CREATE TABLE coach_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    bio TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    availability TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decision_note TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    decided_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX coach_profiles_status_idx ON coach_profiles (status, user_id);

CREATE TABLE coach_skills (
    coach_id INTEGER NOT NULL REFERENCES coach_profiles (user_id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (coach_id, skill_id)
);
CREATE INDEX coach_skills_skill_idx ON coach_skills (skill_id, coach_id);

CREATE TABLE coach_requests (
    id INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    coach_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill_id INTEGER REFERENCES skills (id) ON DELETE SET NULL,
    topic TEXT NOT NULL,
    goal TEXT NOT NULL,
    preferred_times TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    status TEXT NOT NULL,
    decline_note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (learner_id <> coach_id)
);
CREATE INDEX coach_requests_learner_idx ON coach_requests (learner_id, id);
CREATE INDEX coach_requests_coach_idx ON coach_requests (coach_id, id);

CREATE TABLE coach_sessions (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES coach_requests (id) ON DELETE CASCADE,
    coach_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    learner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    video_url TEXT NOT NULL,
    status TEXT NOT NULL,
    cancelled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    cancel_note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX coach_sessions_request_idx ON coach_sessions (request_id, starts_at);
-- A coach's month (capacity) and each side's upcoming sessions.
CREATE INDEX coach_sessions_coach_idx ON coach_sessions (coach_id, starts_at);
CREATE INDEX coach_sessions_learner_idx ON coach_sessions (learner_id, starts_at);

CREATE TABLE coach_notes (
    session_id INTEGER NOT NULL REFERENCES coach_sessions (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, author_id)
);

CREATE TABLE coach_outcomes (
    session_id INTEGER PRIMARY KEY REFERENCES coach_sessions (id) ON DELETE CASCADE,
    coach_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    learner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    helped BOOLEAN NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- A coach's ratings are summed per coach for the rankings.
CREATE INDEX coach_outcomes_coach_idx ON coach_outcomes (coach_id, session_id);
