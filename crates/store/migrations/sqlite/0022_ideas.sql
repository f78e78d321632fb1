-- Ideas (issue 14): an idea is a thread of kind 'idea' (replies, search, moderation and
-- subscriptions come with it) plus what a board needs: its fields, where it stands, its votes,
-- its lineage and the decisions taken on it.
CREATE TABLE ideas (
    thread_id INTEGER PRIMARY KEY REFERENCES threads (id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id),
    problem TEXT NOT NULL,
    proposal TEXT NOT NULL,
    benefit TEXT NOT NULL,
    -- Lower-case tags separated by spaces, as typed (idea_tags finds them).
    tags TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Why it is parked, while it is.
    parked_reason TEXT,
    -- Who carries it forward once it is being decided on.
    owner_id INTEGER REFERENCES users (id),
    -- Kept beside the votes in the same transaction, so that no board counts them.
    votes INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    status_at TEXT NOT NULL,
    -- When it became work: the gallery's order.
    implemented_at TEXT
);
CREATE INDEX ideas_space_idx ON ideas (space_id, thread_id);
CREATE INDEX ideas_status_idx ON ideas (status, thread_id);
-- The boards ordered by votes (the organisation's and one space's).
CREATE INDEX ideas_votes_idx ON ideas (votes, thread_id);
CREATE INDEX ideas_space_votes_idx ON ideas (space_id, votes, thread_id);
CREATE INDEX ideas_author_idx ON ideas (author_id, thread_id);
CREATE INDEX ideas_implemented_idx ON ideas (implemented_at, thread_id)
    WHERE implemented_at IS NOT NULL;

CREATE TABLE idea_tags (
    tag TEXT NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (thread_id) ON DELETE CASCADE,
    PRIMARY KEY (tag, idea_id)
);

-- The child builds on the parent, or was merged into it ('builds_on' / 'merged').
CREATE TABLE idea_links (
    child_id INTEGER NOT NULL REFERENCES ideas (thread_id) ON DELETE CASCADE,
    parent_id INTEGER NOT NULL REFERENCES ideas (thread_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX idea_links_parent_idx ON idea_links (parent_id, child_id);

CREATE TABLE idea_votes (
    idea_id INTEGER NOT NULL REFERENCES ideas (thread_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);
-- "Did I vote?" beside every idea on a board reads the viewer's votes.
CREATE INDEX idea_votes_user_idx ON idea_votes (user_id, idea_id);

-- Every move on the road and why: the decision notes people read on the idea's page.
CREATE TABLE idea_decisions (
    id INTEGER PRIMARY KEY,
    idea_id INTEGER NOT NULL REFERENCES ideas (thread_id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX idea_decisions_idea_idx ON idea_decisions (idea_id, id);

-- Ideas that were threads of kind 'idea' before the board existed join it as proposals, their
-- opening post standing for the proposal.
INSERT INTO ideas (thread_id, space_id, author_id, problem, proposal, benefit, tags, status,
                   created_at, status_at)
SELECT t.id, t.space_id, t.author_id, '', p.body, '', '', 'proposal', t.created_at, t.created_at
FROM threads t
JOIN posts p ON p.id = (SELECT MIN(id) FROM posts WHERE thread_id = t.id)
WHERE t.kind = 'idea';
