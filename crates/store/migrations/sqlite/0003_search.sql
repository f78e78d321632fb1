-- Full-text search over spaces, threads, posts and people (SQLite FTS5; PostgreSQL uses tsvector).
-- The index is written by the store in the same transaction as the content. Tables named fts_*
-- differ by design between the backends and are left out of the schema comparison.
-- Both engines match word prefixes without stemming (unicode61 here, 'simple' there), so a
-- search finds the same documents on either backend.

CREATE VIRTUAL TABLE fts_documents USING fts5 (
    title,
    body,
    -- Filter tokens (s<space id> k<thread kind> a<author id>), matched like words so that
    -- filters narrow the full-text lookup itself.
    tags,
    doc_kind UNINDEXED,
    doc_id UNINDEXED,
    space_id UNINDEXED,
    thread_id UNINDEXED,
    author_id UNINDEXED,
    thread_kind UNINDEXED,
    created_at UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
