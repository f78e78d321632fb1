-- Spaces (community, cohort, event, team) with membership, and the threads and posts inside them.
-- Counters on threads (post_count, last_activity_at) are updated in the transaction that adds a post.

CREATE TABLE spaces (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL,
    description TEXT NOT NULL,
    rules TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE UNIQUE INDEX spaces_slug_idx ON spaces (slug);
CREATE INDEX spaces_visibility_idx ON spaces (visibility, name);

CREATE TABLE space_members (
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_user_idx ON space_members (user_id, status);
CREATE INDEX space_members_status_idx ON space_members (space_id, status);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link_url TEXT,
    excerpt TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_activity_at TEXT NOT NULL,
    post_count INTEGER NOT NULL DEFAULT 0,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_post_id INTEGER,
    deleted_at TEXT
);
CREATE INDEX threads_space_activity_idx ON threads (space_id, last_activity_at, id);
CREATE INDEX threads_author_idx ON threads (author_id, last_activity_at, id);
CREATE INDEX threads_kind_activity_idx ON threads (kind, accepted_post_id, last_activity_at, id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reply_to_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT
);
CREATE INDEX posts_thread_idx ON posts (thread_id, id);
CREATE INDEX posts_author_idx ON posts (author_id, id);

CREATE TABLE post_versions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    edited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX post_versions_post_idx ON post_versions (post_id, id);

CREATE TABLE reactions (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);
