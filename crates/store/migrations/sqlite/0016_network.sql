-- The people network (issue 6): following colleagues, and endorsing them for a skill of the
-- shared vocabulary with a short reason.

CREATE TABLE follows (
    id INTEGER PRIMARY KEY,
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    CHECK (follower_id <> followed_id)
);
CREATE UNIQUE INDEX follows_pair_idx ON follows (follower_id, followed_id);
-- Followers and following lists are read newest first with an id cursor.
CREATE INDEX follows_followed_idx ON follows (followed_id, id);
CREATE INDEX follows_follower_idx ON follows (follower_id, id);

CREATE TABLE endorsements (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endorser_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    withdrawn_at TEXT,
    CHECK (person_id <> endorser_id)
);
-- One live endorsement per person, skill and endorser; a withdrawn one may be given again.
CREATE UNIQUE INDEX endorsements_once_idx ON endorsements (person_id, skill_id, endorser_id)
    WHERE withdrawn_at IS NULL;
CREATE INDEX endorsements_person_idx ON endorsements (person_id, id);
-- "Who knows about X" counts endorsements per person for one skill.
CREATE INDEX endorsements_skill_idx ON endorsements (skill_id, person_id);
