//! Bulk writers for generated scale data (`guildhall demo --scale`): multi-row inserts in large
//! transactions, bypassing the one-at-a-time use cases that would take hours for a million posts.
//! Values are always bound parameters.

use crate::search::DocKind;
use crate::{Result, Tx, with_tx};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
pub const BATCH: usize = 1000;

pub struct BulkUser {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub password_hash: String,
    pub at: DateTime<Utc>,
}

pub struct BulkSpace {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub visibility: &'static str,
    pub description: String,
    pub created_by: i64,
    pub at: DateTime<Utc>,
}

pub struct BulkMember {
    pub space_id: i64,
    pub user_id: i64,
    pub role: &'static str,
    pub at: DateTime<Utc>,
}

pub struct BulkThread {
    pub space_id: i64,
    pub author_id: i64,
    pub kind: &'static str,
    pub title: String,
    pub excerpt: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub post_count: i64,
}

pub struct BulkPost {
    pub thread_id: i64,
    pub space_id: i64,
    pub thread_kind: &'static str,
    pub title: String,
    pub author_id: i64,
    pub body: String,
    pub body_html: String,
    pub at: DateTime<Utc>,
    /// The opening post stands for its thread in search.
    pub opening: bool,
}

/// A care signal as `help_signals` keeps it (see `insights::NewHelpSignal`).
pub struct BulkSignal {
    pub user_id: i64,
    pub space_id: i64,
    pub kind: &'static str,
    pub subject: String,
    pub reason: String,
    pub link: String,
    pub status: &'static str,
    pub at: DateTime<Utc>,
}

/// A line of the points ledger (see `rewards::ledger::NewLine`).
pub struct BulkPoints {
    pub user_id: i64,
    pub rule: &'static str,
    pub points: i64,
    pub source_id: i64,
    pub actor_id: i64,
    pub space_id: i64,
    pub at: DateTime<Utc>,
}

/// Inserts people; their ids in the order given.
pub async fn users(tx: &mut Tx, rows: &[BulkUser]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let batch: Vec<i64> = with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO users (email, given_name, family_name, display_name, password_hash, status, created_at, updated_at) ",
            );
            query.push_values(chunk, |mut row, u| {
                row.push_bind(u.email.as_str())
                    .push_bind(u.given_name.as_str())
                    .push_bind(u.family_name.as_str())
                    .push_bind(format!("{} {}", u.given_name, u.family_name))
                    .push_bind(u.password_hash.as_str())
                    .push_bind("active")
                    .push_bind(u.at)
                    .push_bind(u.at);
            });
            query.push(" RETURNING id");
            query.build_query_scalar().fetch_all(&mut *conn).await
        })?;
        ids.extend(batch);
    }
    Ok(ids)
}

pub async fn spaces(tx: &mut Tx, rows: &[BulkSpace]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let batch: Vec<i64> = with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO spaces (slug, name, kind, visibility, description, rules, created_by, created_at, updated_at) ",
            );
            query.push_values(chunk, |mut row, s| {
                row.push_bind(s.slug.as_str())
                    .push_bind(s.name.as_str())
                    .push_bind(s.kind)
                    .push_bind(s.visibility)
                    .push_bind(s.description.as_str())
                    .push_bind("")
                    .push_bind(s.created_by)
                    .push_bind(s.at)
                    .push_bind(s.at);
            });
            query.push(" RETURNING id");
            query.build_query_scalar().fetch_all(&mut *conn).await
        })?;
        ids.extend(batch);
    }
    Ok(ids)
}

pub async fn members(tx: &mut Tx, rows: &[BulkMember]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO space_members (space_id, user_id, role, status, created_at) ",
            );
            query.push_values(chunk, |mut row, m| {
                row.push_bind(m.space_id)
                    .push_bind(m.user_id)
                    .push_bind(m.role)
                    .push_bind("active")
                    .push_bind(m.at);
            });
            query.push(" ON CONFLICT (space_id, user_id) DO NOTHING");
            query
                .build()
                .execute(&mut *conn)
                .await
                .map(|done| done.rows_affected())
        })?;
    }
    Ok(())
}

pub async fn threads(tx: &mut Tx, rows: &[BulkThread]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let batch: Vec<i64> = with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO threads (space_id, author_id, kind, title, excerpt, created_at, last_activity_at, post_count) ",
            );
            query.push_values(chunk, |mut row, t| {
                row.push_bind(t.space_id)
                    .push_bind(t.author_id)
                    .push_bind(t.kind)
                    .push_bind(t.title.as_str())
                    .push_bind(t.excerpt.as_str())
                    .push_bind(t.created_at)
                    .push_bind(t.last_activity_at)
                    .push_bind(t.post_count);
            });
            query.push(" RETURNING id");
            query.build_query_scalar().fetch_all(&mut *conn).await
        })?;
        ids.extend(batch);
    }
    Ok(ids)
}

/// Inserts posts with their search documents.
pub async fn posts(tx: &mut Tx, rows: &[BulkPost]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let ids: Vec<i64> = with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO posts (thread_id, author_id, body, body_html, created_at) ",
            );
            query.push_values(chunk, |mut row, p| {
                row.push_bind(p.thread_id)
                    .push_bind(p.author_id)
                    .push_bind(p.body.as_str())
                    .push_bind(p.body_html.as_str())
                    .push_bind(p.at);
            });
            query.push(" RETURNING id");
            query.build_query_scalar().fetch_all(&mut *conn).await
        })?;
        let docs: Vec<(DocKind, i64, &BulkPost)> = chunk
            .iter()
            .zip(ids)
            .map(|(p, id)| {
                if p.opening {
                    (DocKind::Thread, p.thread_id, p)
                } else {
                    (DocKind::Post, id, p)
                }
            })
            .collect();
        index_docs(tx, &docs).await?;
    }
    Ok(())
}

async fn index_docs(tx: &mut Tx, docs: &[(DocKind, i64, &BulkPost)]) -> Result<()> {
    match tx {
        Tx::Sqlite(tx, ..) => {
            let mut query = QueryBuilder::new(
                "INSERT INTO fts_documents (rowid, title, body, tags, doc_kind, doc_id, space_id, thread_id, author_id, thread_kind, created_at) ",
            );
            query.push_values(docs, |mut row, (kind, id, p)| {
                row.push_bind(kind.rowid(*id))
                    .push_bind(p.title.as_str())
                    .push_bind(p.body.as_str())
                    .push_bind(crate::search::tags(
                        Some(p.space_id),
                        Some(p.thread_kind),
                        Some(p.author_id),
                    ))
                    .push_bind(kind.as_str())
                    .push_bind(*id)
                    .push_bind(p.space_id)
                    .push_bind(p.thread_id)
                    .push_bind(p.author_id)
                    .push_bind(p.thread_kind)
                    .push_bind(p.at);
            });
            query.build().execute(&mut **tx).await?;
        }
        Tx::Postgres(tx, _) => {
            let mut query = QueryBuilder::new(
                "INSERT INTO fts_documents (doc_kind, doc_id, title, body, space_id, thread_id, author_id, thread_kind, created_at) ",
            );
            query.push_values(docs, |mut row, (kind, id, p)| {
                row.push_bind(kind.as_str())
                    .push_bind(*id)
                    .push_bind(p.title.as_str())
                    .push_bind(p.body.as_str())
                    .push_bind(p.space_id)
                    .push_bind(p.thread_id)
                    .push_bind(p.author_id)
                    .push_bind(p.thread_kind)
                    .push_bind(p.at);
            });
            query.build().execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Moves a thread and its posts `by` into the past: the demo spreads its history over weeks so
/// that dashboards have something to show.
pub async fn backdate_thread(db: &crate::Db, thread_id: i64, by: chrono::Duration) -> Result<()> {
    let mut tx = db.begin().await?;
    let posts: Vec<(i64, DateTime<Utc>)> = with_tx!(&mut tx, |conn| sqlx::query_as(
        "SELECT id, created_at FROM posts WHERE thread_id = $1"
    )
    .bind(thread_id)
    .fetch_all(conn)
    .await)?;
    for (id, at) in posts {
        with_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE posts SET created_at = $1 WHERE id = $2"
        )
        .bind(at - by)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    let (created, active): (DateTime<Utc>, DateTime<Utc>) = with_tx!(&mut tx, |conn| {
        sqlx::query_as("SELECT created_at, last_activity_at FROM threads WHERE id = $1")
            .bind(thread_id)
            .fetch_one(conn)
            .await
    })?;
    with_tx!(&mut tx, |conn| sqlx::query(
        "UPDATE threads SET created_at = $1, last_activity_at = $2 WHERE id = $3"
    )
    .bind(created - by)
    .bind(active - by)
    .bind(thread_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx.commit().await
}

/// Pairs of accountability partners across the organisation (scope 0), active since `at`.
pub async fn partnerships(tx: &mut Tx, pairs: &[(i64, i64)], at: DateTime<Utc>) -> Result<()> {
    for chunk in pairs.chunks(BATCH) {
        let ids: Vec<i64> = with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO partnerships (scope_key, status, check_in_weekday, reasons, formed_at) ",
            );
            query.push_values(chunk, |mut row, _| {
                row.push_bind(0_i64)
                    .push_bind("active")
                    .push_bind(2_i64)
                    .push_bind("[]")
                    .push_bind(at);
            });
            query.push(" RETURNING id");
            query.build_query_scalar().fetch_all(&mut *conn).await
        })?;
        let members: Vec<(i64, i64)> = ids
            .iter()
            .zip(chunk)
            .flat_map(|(id, (a, b))| [(*id, *a), (*id, *b)])
            .collect();
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO partnership_members (partnership_id, user_id, scope_key, active) ",
            );
            query.push_values(&members, |mut row, (pair, user)| {
                row.push_bind(*pair)
                    .push_bind(*user)
                    .push_bind(0_i64)
                    .push_bind(true);
            });
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Care signals, each recorded once (as `insights::record_help_signal` does).
pub async fn help_signals(tx: &mut Tx, rows: &[BulkSignal]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO help_signals (user_id, kind, subject, period, reason, space_id, link, \
                 status, created_at, updated_at) ",
            );
            query.push_values(chunk, |mut row, s| {
                row.push_bind(s.user_id)
                    .push_bind(s.kind)
                    .push_bind(s.subject.as_str())
                    .push_bind(s.at.date_naive())
                    .push_bind(s.reason.as_str())
                    .push_bind(s.space_id)
                    .push_bind(s.link.as_str())
                    .push_bind(s.status)
                    .push_bind(s.at)
                    .push_bind(s.at);
            });
            query.push(" ON CONFLICT DO NOTHING");
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Ledger lines with the totals they make (per person, and per space and month), as the
/// ledger's own transaction keeps them.
pub async fn points(tx: &mut Tx, rows: &[BulkPoints]) -> Result<()> {
    use std::collections::HashMap;
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO points_ledger (user_id, rule, points, quantity, source_kind, \
                 source_id, actor_id, space_id, created_at) ",
            );
            query.push_values(chunk, |mut row, l| {
                row.push_bind(l.user_id)
                    .push_bind(l.rule)
                    .push_bind(l.points)
                    .push_bind(1_i64)
                    .push_bind("post")
                    .push_bind(l.source_id)
                    .push_bind(l.actor_id)
                    .push_bind(l.space_id)
                    .push_bind(l.at);
            });
            query.push(" ON CONFLICT DO NOTHING");
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    let mut totals: HashMap<i64, i64> = HashMap::new();
    let mut monthly: HashMap<(i64, String, i64), i64> = HashMap::new();
    for l in rows {
        *totals.entry(l.user_id).or_default() += l.points;
        let month = l.at.format("%Y-%m").to_string();
        *monthly.entry((l.space_id, month, l.user_id)).or_default() += l.points;
    }
    let totals: Vec<(i64, i64)> = totals.into_iter().collect();
    for chunk in totals.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new("INSERT INTO points_totals (user_id, points) ");
            query.push_values(chunk, |mut row, (user, points)| {
                row.push_bind(*user).push_bind(*points);
            });
            query.push(
                " ON CONFLICT (user_id) DO UPDATE SET points = points_totals.points + excluded.points",
            );
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    let monthly: Vec<((i64, String, i64), i64)> = monthly.into_iter().collect();
    for chunk in monthly.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query =
                QueryBuilder::new("INSERT INTO space_points (space_id, month, user_id, points) ");
            query.push_values(chunk, |mut row, ((space, month, user), points)| {
                row.push_bind(*space)
                    .push_bind(month.as_str())
                    .push_bind(*user)
                    .push_bind(*points);
            });
            query.push(
                " ON CONFLICT (space_id, month, user_id) \
                 DO UPDATE SET points = space_points.points + excluded.points",
            );
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Kudos (from, to, message, when).
pub async fn kudos(tx: &mut Tx, rows: &[(i64, i64, String, DateTime<Utc>)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query =
                QueryBuilder::new("INSERT INTO kudos (from_id, to_id, message, created_at) ");
            query.push_values(chunk, |mut row, (from, to, message, at)| {
                row.push_bind(*from)
                    .push_bind(*to)
                    .push_bind(message.as_str())
                    .push_bind(*at);
            });
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// People who chose to appear on leaderboards.
pub async fn leaderboard_choices(tx: &mut Tx, users: &[i64], at: DateTime<Utc>) -> Result<()> {
    for chunk in users.chunks(BATCH) {
        with_tx!(tx, |conn| {
            let mut query = QueryBuilder::new(
                "INSERT INTO reward_preferences (user_id, on_leaderboards, updated_at) ",
            );
            query.push_values(chunk, |mut row, user| {
                row.push_bind(*user).push_bind(true).push_bind(at);
            });
            query.push(" ON CONFLICT (user_id) DO NOTHING");
            query.build().execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Puts every idea thread on the board (its opening post as the proposal), with a tenth
/// adopted and a tenth under discussion, a third building on the space's previous idea, and
/// votes from about one member in seven of its space.
pub async fn ideas(tx: &mut Tx) -> Result<()> {
    const STATEMENTS: &[&str] = &[
        "INSERT INTO ideas (thread_id, space_id, author_id, problem, proposal, benefit, tags, \
         status, created_at, status_at) \
         SELECT t.id, t.space_id, t.author_id, '', p.body, '', '', \
           CASE t.id % 10 WHEN 0 THEN 'adopted' WHEN 1 THEN 'under_discussion' ELSE 'proposal' END, \
           t.created_at, t.created_at \
         FROM threads t JOIN posts p ON p.id = (SELECT MIN(q.id) FROM posts q WHERE q.thread_id = t.id) \
         WHERE t.kind = 'idea' AND NOT EXISTS (SELECT 1 FROM ideas i WHERE i.thread_id = t.id)",
        "INSERT INTO idea_links (child_id, parent_id, kind, created_by, created_at) \
         SELECT child, parent, 'builds_on', author, at FROM ( \
           SELECT i.thread_id AS child, i.author_id AS author, i.created_at AS at, \
             (SELECT MAX(j.thread_id) FROM ideas j WHERE j.space_id = i.space_id \
                AND j.thread_id < i.thread_id) AS parent \
           FROM ideas i WHERE i.thread_id % 3 = 0) AS found \
         WHERE parent IS NOT NULL \
         ON CONFLICT DO NOTHING",
        "INSERT INTO idea_votes (idea_id, user_id, created_at) \
         SELECT i.thread_id, m.user_id, i.created_at FROM ideas i \
         JOIN space_members m ON m.space_id = i.space_id AND m.status = 'active' \
         WHERE m.user_id <> COALESCE(i.author_id, 0) AND (m.user_id + i.thread_id) % 7 = 0 \
         ON CONFLICT DO NOTHING",
        "UPDATE ideas SET votes = (SELECT COUNT(*) FROM idea_votes v WHERE v.idea_id = ideas.thread_id)",
    ];
    for statement in STATEMENTS {
        with_tx!(tx, |conn| sqlx::query(*statement)
            .execute(&mut *conn)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load (both backends know `ANALYZE`).
pub async fn analyze(db: &crate::Db) -> Result<()> {
    crate::with_db!(db, |pool| sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}
