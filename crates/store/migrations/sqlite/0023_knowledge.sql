-- Knowledge library (issue 14): a resource is a thread of kind 'resource' with this side table
-- (what it is, who keeps it fresh, its ratings); collections are ordered learning paths with
-- each member's progress; question and resource threads keep a sentence embedding for
-- "similar questions and resources".

CREATE TABLE resources (
    thread_id INTEGER PRIMARY KEY REFERENCES threads (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- The person asked to keep it fresh: its author, unless they left.
    owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Normalised tags, separated by single spaces.
    tags TEXT NOT NULL DEFAULT '',
    helpful_count INTEGER NOT NULL DEFAULT 0,
    -- Outdated flags since the last review.
    outdated_count INTEGER NOT NULL DEFAULT 0,
    last_reviewed_at TEXT NOT NULL,
    -- When the owner was last asked to review it.
    review_asked_at TEXT
);
CREATE INDEX resources_kind_idx ON resources (kind, thread_id);
CREATE INDEX resources_helpful_idx ON resources (helpful_count, thread_id);

CREATE TABLE resource_skills (
    thread_id INTEGER NOT NULL REFERENCES resources (thread_id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, skill_id)
);
CREATE INDEX resource_skills_skill_idx ON resource_skills (skill_id, thread_id);

-- One rating per reader. A review clears outdated flags (cleared_at) but keeps them as history.
CREATE TABLE resource_ratings (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES resources (thread_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cleared_at TEXT
);
CREATE UNIQUE INDEX resource_ratings_reader_idx ON resource_ratings (thread_id, user_id);

-- Resource threads from before the library: links.
INSERT INTO resources (thread_id, kind, owner_id, tags, last_reviewed_at)
    SELECT id, 'link', author_id, '', created_at FROM threads WHERE kind = 'resource';

CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    -- NULL: organisation-wide.
    space_id INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX collections_space_idx ON collections (space_id, id);

CREATE TABLE collection_items (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL REFERENCES resources (thread_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
CREATE UNIQUE INDEX collection_items_once_idx ON collection_items (collection_id, thread_id);
CREATE INDEX collection_items_thread_idx ON collection_items (thread_id);

CREATE TABLE collection_progress (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL REFERENCES resources (thread_id) ON DELETE CASCADE,
    done_at TEXT NOT NULL
);
CREATE UNIQUE INDEX collection_progress_once_idx
    ON collection_progress (user_id, collection_id, thread_id);

-- One sentence embedding per question or resource thread (f32 little-endian), written by the
-- outbox worker off the request path.
CREATE TABLE thread_embeddings (
    thread_id INTEGER PRIMARY KEY REFERENCES threads (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
