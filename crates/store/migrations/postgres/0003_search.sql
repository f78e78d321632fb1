-- Full-text search over spaces, threads, posts and people (PostgreSQL tsvector + GIN; SQLite uses
-- FTS5). The index is written by the store in the same transaction as the content. Tables named
-- fts_* differ by design between the backends and are left out of the schema comparison.
-- Both engines match word prefixes without stemming ('simple' here, unicode61 there), so a
-- search finds the same documents on either backend.

CREATE TABLE fts_documents (
    doc_kind TEXT NOT NULL,
    doc_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    space_id BIGINT,
    thread_id BIGINT,
    author_id BIGINT,
    thread_kind TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
    ) STORED,
    PRIMARY KEY (doc_kind, doc_id)
);
CREATE INDEX fts_documents_document_idx ON fts_documents USING GIN (document);
CREATE INDEX fts_documents_space_idx ON fts_documents (space_id);
