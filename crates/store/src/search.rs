//! Full-text search. The one capability whose SQL differs by backend: FTS5 on SQLite,
//! tsvector + GIN on PostgreSQL. Both are isolated here, behind one interface.

use crate::{Db, Result, Tx};
use chrono::{DateTime, Utc};

/// What can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Thread,
    Post,
    Space,
    Person,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Thread => "thread",
            DocKind::Post => "post",
            DocKind::Space => "space",
            DocKind::Person => "person",
        }
    }

    /// FTS5 rows are addressed by rowid; deriving it from kind and id makes updates and deletes
    /// a rowid lookup instead of a scan.
    pub(crate) fn rowid(self, id: i64) -> i64 {
        let code = match self {
            DocKind::Thread => 0,
            DocKind::Post => 1,
            DocKind::Space => 2,
            DocKind::Person => 3,
        };
        id.saturating_mul(4).saturating_add(code)
    }
}

pub struct SearchDoc<'a> {
    pub kind: DocKind,
    pub id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub space_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub author_id: Option<i64>,
    pub thread_kind: Option<&'a str>,
    pub created_at: DateTime<Utc>,
}

/// Adds or replaces a document.
pub async fn index(tx: &mut Tx, doc: &SearchDoc<'_>) -> Result<()> {
    match tx {
        Tx::Sqlite(tx, ..) => {
            let rowid = doc.kind.rowid(doc.id);
            sqlx::query("DELETE FROM fts_documents WHERE rowid = $1")
                .bind(rowid)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO fts_documents (rowid, title, body, tags, doc_kind, doc_id, space_id, thread_id, author_id, thread_kind, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(rowid)
            .bind(doc.title)
            .bind(doc.body)
            .bind(tags(doc.space_id, doc.thread_kind, doc.author_id))
            .bind(doc.kind.as_str())
            .bind(doc.id)
            .bind(doc.space_id)
            .bind(doc.thread_id)
            .bind(doc.author_id)
            .bind(doc.thread_kind)
            .bind(doc.created_at)
            .execute(&mut **tx)
            .await?;
        }
        Tx::Postgres(tx, _) => {
            sqlx::query(
                "INSERT INTO fts_documents (doc_kind, doc_id, title, body, space_id, thread_id, author_id, thread_kind, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (doc_kind, doc_id) DO UPDATE SET title = excluded.title, body = excluded.body, \
                 space_id = excluded.space_id, thread_id = excluded.thread_id, author_id = excluded.author_id, \
                 thread_kind = excluded.thread_kind",
            )
            .bind(doc.kind.as_str())
            .bind(doc.id)
            .bind(doc.title)
            .bind(doc.body)
            .bind(doc.space_id)
            .bind(doc.thread_id)
            .bind(doc.author_id)
            .bind(doc.thread_kind)
            .bind(doc.created_at)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

pub async fn remove(tx: &mut Tx, kind: DocKind, id: i64) -> Result<()> {
    match tx {
        Tx::Sqlite(tx, ..) => {
            sqlx::query("DELETE FROM fts_documents WHERE rowid = $1")
                .bind(kind.rowid(id))
                .execute(&mut **tx)
                .await?;
        }
        Tx::Postgres(tx, _) => {
            sqlx::query("DELETE FROM fts_documents WHERE doc_kind = $1 AND doc_id = $2")
                .bind(kind.as_str())
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Narrowing a search; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub space_id: Option<i64>,
    pub thread_kind: Option<String>,
    pub author_id: Option<i64>,
    pub since: Option<DateTime<Utc>>,
}

/// The query in each engine's language, both built by `domain::search` from sanitised terms,
/// never raw from a user.
pub struct SearchQuery<'a> {
    pub fts5: &'a str,
    pub tsquery: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    pub doc_kind: String,
    pub doc_id: i64,
    pub title: String,
    /// The document's text; the caller cuts the snippet.
    pub body: String,
    pub thread_id: Option<i64>,
    pub space_slug: Option<String>,
    pub space_name: Option<String>,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The kind of the thread the document belongs to (a resource is shown as one).
    pub thread_kind: Option<String>,
}

/// The words that let FTS5 apply filters inside the full-text lookup.
pub(crate) fn tags(
    space_id: Option<i64>,
    thread_kind: Option<&str>,
    author_id: Option<i64>,
) -> String {
    let mut tags = Vec::new();
    if let Some(space) = space_id {
        tags.push(format!("s{space}"));
    }
    if let Some(kind) = thread_kind {
        tags.push(format!("k{kind}"));
    }
    if let Some(author) = author_id {
        tags.push(format!("a{author}"));
    }
    tags.join(" ")
}

/// How many of the best-ranked matches are looked at before visibility is checked: ranking and
/// fetching stay bounded however common the words are.
const CANDIDATES: i64 = 300;

/// Only what `viewer` may see: documents of open spaces and of spaces they belong to; spaces
/// that are listed; people.
const VISIBLE: &str = "(f.space_id IS NULL OR s.visibility = 'open' \
    OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = f.space_id AND m.user_id = $2 AND m.status = 'active') \
    OR (f.doc_kind = 'space' AND s.visibility <> 'secret')) \
    AND NOT EXISTS (SELECT 1 FROM threads ht WHERE ht.id = CAST(f.thread_id AS BIGINT) AND ht.hidden_at IS NOT NULL) \
    AND NOT EXISTS (SELECT 1 FROM posts hp WHERE f.doc_kind = 'post' AND hp.id = CAST(f.doc_id AS BIGINT) \
        AND hp.hidden_at IS NOT NULL)";

const SEARCH_SQLITE: &str = "SELECT f.doc_kind, CAST(f.doc_id AS INTEGER) AS doc_id, f.title, f.body, \
        CAST(f.thread_id AS INTEGER) AS thread_id, s.slug AS space_slug, s.name AS space_name, \
        u.display_name AS author_name, f.created_at, \
        (SELECT kt.kind FROM threads kt WHERE kt.id = CAST(f.thread_id AS INTEGER)) AS thread_kind \
     FROM (SELECT rowid AS hit, rank FROM fts_documents WHERE fts_documents MATCH $1 ORDER BY rank LIMIT $3) best \
        JOIN fts_documents f ON f.rowid = best.hit \
        LEFT JOIN spaces s ON s.id = f.space_id LEFT JOIN users u ON u.id = f.author_id \
     WHERE ($4 IS NULL OR f.created_at >= $4) AND ";
const SEARCH_SQLITE_TAIL: &str = " ORDER BY best.rank LIMIT $5";

const SEARCH_POSTGRES: &str = "SELECT f.doc_kind, f.doc_id, f.title, f.body, \
        f.thread_id, s.slug AS space_slug, s.name AS space_name, u.display_name AS author_name, f.created_at, \
        (SELECT kt.kind FROM threads kt WHERE kt.id = f.thread_id) AS thread_kind \
     FROM (SELECT d.doc_kind AS hit_kind, d.doc_id AS hit_id, ts_rank_cd(d.document, q) AS rank \
           FROM fts_documents d CROSS JOIN to_tsquery('simple', $1) q \
           WHERE d.document @@ q AND ($6::BIGINT IS NULL OR d.space_id = $6) AND ($7::TEXT IS NULL OR d.thread_kind = $7) \
             AND ($8::BIGINT IS NULL OR d.author_id = $8) \
           ORDER BY rank DESC LIMIT $3) best \
        JOIN fts_documents f ON f.doc_kind = best.hit_kind AND f.doc_id = best.hit_id \
        LEFT JOIN spaces s ON s.id = f.space_id LEFT JOIN users u ON u.id = f.author_id \
     WHERE ($4::TIMESTAMPTZ IS NULL OR f.created_at >= $4) AND ";
const SEARCH_POSTGRES_TAIL: &str = " ORDER BY best.rank DESC, f.created_at DESC LIMIT $5";

pub async fn search(
    db: &Db,
    viewer: i64,
    query: &SearchQuery<'_>,
    filter: &SearchFilter,
    limit: i64,
) -> Result<Vec<SearchHit>> {
    crate::db::assert_no_open_tx();
    Ok(match db {
        Db::Sqlite(pool, _) => {
            // Filters become column-scoped words of the FTS5 expression; terms only match text.
            let mut expression = format!("{{title body}} : ({})", query.fts5);
            let filter_tags = tags(
                filter.space_id,
                filter.thread_kind.as_deref(),
                filter.author_id,
            );
            for tag in filter_tags.split(' ').filter(|t| !t.is_empty()) {
                expression.push_str(&format!(" AND tags : \"{tag}\""));
            }
            let sql = sqlx::AssertSqlSafe(format!("{SEARCH_SQLITE}{VISIBLE}{SEARCH_SQLITE_TAIL}"));
            sqlx::query_as(sql)
                .bind(expression)
                .bind(viewer)
                .bind(CANDIDATES)
                .bind(filter.since)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        Db::Postgres(pool) => {
            let sql =
                sqlx::AssertSqlSafe(format!("{SEARCH_POSTGRES}{VISIBLE}{SEARCH_POSTGRES_TAIL}"));
            sqlx::query_as(sql)
                .bind(query.tsquery)
                .bind(viewer)
                .bind(CANDIDATES)
                .bind(filter.since)
                .bind(limit)
                .bind(filter.space_id)
                .bind(filter.thread_kind.as_deref())
                .bind(filter.author_id)
                .fetch_all(pool)
                .await?
        }
    })
}

/// Removes a thread's documents (its own and its posts').
pub async fn remove_thread(tx: &mut Tx, thread_id: i64) -> Result<()> {
    match tx {
        Tx::Sqlite(tx, ..) => {
            sqlx::query("DELETE FROM fts_documents WHERE thread_id = $1")
                .bind(thread_id)
                .execute(&mut **tx)
                .await?;
        }
        Tx::Postgres(tx, _) => {
            sqlx::query("DELETE FROM fts_documents WHERE thread_id = $1")
                .bind(thread_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
