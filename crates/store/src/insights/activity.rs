//! Who talks, who asks and who answers, in weekly buckets (weeks start on Monday, UTC), for the
//! insights dashboards. Buckets are numbered from Monday 1970-01-05; both backends count alike.

use crate::{Db, Result, with_db};
use chrono::{DateTime, Utc};
use guildhall_domain::insights::Voice;
use sqlx::AssertSqlSafe;

/// The week number of `column`, per backend.
fn week_of(db: &Db, column: &str) -> String {
    match db {
        Db::Sqlite(..) => {
            format!("CAST((julianday({column}) - julianday('1970-01-05')) / 7 AS INTEGER)")
        }
        Db::Postgres(_) => format!(
            "CAST(floor(extract(epoch FROM {column} - TIMESTAMPTZ '1970-01-05 00:00:00+00') / 604800) AS BIGINT)"
        ),
    }
}

/// Posts `p` with their threads `t`, in space `$2` or everywhere (`$2` null). A space's
/// posts are found through its threads (`threads_space_activity_idx`, `posts_thread_idx`);
/// everyone's through `posts_created_idx`. Conditions follow with AND.
fn posts_in(space: Option<i64>) -> &'static str {
    match space {
        Some(_) => "FROM threads t JOIN posts p ON p.thread_id = t.id WHERE t.space_id = $2 AND",
        None => "FROM posts p JOIN threads t ON t.id = p.thread_id WHERE $2 IS NULL AND",
    }
}

/// Words in a post's text: spaces plus one (good enough to compare who talks more).
const WORDS: &str = "(LENGTH(p.body) - LENGTH(REPLACE(p.body, ' ', '')) + 1)";

/// Posts of one week in one space (or all spaces).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct WeekPosts {
    pub week: i64,
    pub posts: i64,
    pub authors: i64,
    pub facilitator_posts: i64,
    pub words: i64,
    pub facilitator_words: i64,
}

impl WeekPosts {
    /// The week's talk split between facilitators and learners.
    pub fn voice(&self) -> Voice {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Voice {
            facilitator_posts: count(self.facilitator_posts),
            learner_posts: count(self.posts - self.facilitator_posts),
            facilitator_words: count(self.facilitator_words),
            learner_words: count(self.words - self.facilitator_words),
        }
    }
}

/// Weekly posts since `since`, in `space` or everywhere; "facilitator" means a facilitator of
/// the space the post is in.
pub async fn weekly_posts(
    db: &Db,
    space: Option<i64>,
    since: DateTime<Utc>,
) -> Result<Vec<WeekPosts>> {
    let sql = format!(
        "SELECT week, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS authors, \
         CAST(SUM(fac) AS BIGINT) AS facilitator_posts, CAST(SUM(words) AS BIGINT) AS words, \
         CAST(SUM(fac * words) AS BIGINT) AS facilitator_words FROM (\
           SELECT {week} AS week, p.author_id, {WORDS} AS words, \
           CASE WHEN EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = t.space_id \
             AND m.user_id = p.author_id AND m.role = 'facilitator') THEN 1 ELSE 0 END AS fac \
           {posts} p.created_at >= $1 AND p.deleted_at IS NULL AND p.hidden_at IS NULL\
         ) x GROUP BY week ORDER BY week",
        week = week_of(db, "p.created_at"),
        posts = posts_in(space)
    );
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(since)
    .bind(space)
    .fetch_all(pool)
    .await)?)
}

/// The talk in one event's follow-up threads (its prompts), as one row (`week` 0).
pub async fn event_posts(db: &Db, event_id: i64) -> Result<WeekPosts> {
    let sql = format!(
        "SELECT CAST(0 AS BIGINT) AS week, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS authors, \
         CAST(COALESCE(SUM(fac), 0) AS BIGINT) AS facilitator_posts, \
         CAST(COALESCE(SUM(words), 0) AS BIGINT) AS words, \
         CAST(COALESCE(SUM(fac * words), 0) AS BIGINT) AS facilitator_words FROM (\
           SELECT p.author_id, {WORDS} AS words, \
           CASE WHEN EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = t.space_id \
             AND m.user_id = p.author_id AND m.role = 'facilitator') THEN 1 ELSE 0 END AS fac \
           FROM event_prompts ep JOIN threads t ON t.id = ep.thread_id \
           JOIN posts p ON p.thread_id = t.id \
           WHERE ep.event_id = $1 AND p.deleted_at IS NULL AND p.hidden_at IS NULL\
         ) x"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(event_id)
    .fetch_one(pool)
    .await)?)
}

/// A question and when it got its first answer, and its first answer from a peer (someone who
/// does not facilitate the space).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionTimes {
    pub week: i64,
    pub asked_at: DateTime<Utc>,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub first_peer_answer_at: Option<DateTime<Utc>>,
}

pub async fn questions(
    db: &Db,
    space: Option<i64>,
    since: DateTime<Utc>,
) -> Result<Vec<QuestionTimes>> {
    let sql = format!(
        "SELECT {week} AS week, t.created_at AS asked_at, \
         (SELECT MIN(r.created_at) FROM posts r WHERE r.thread_id = t.id \
           AND r.author_id <> t.author_id AND r.deleted_at IS NULL AND r.hidden_at IS NULL) \
           AS first_answer_at, \
         (SELECT MIN(r.created_at) FROM posts r WHERE r.thread_id = t.id \
           AND r.author_id <> t.author_id AND r.deleted_at IS NULL AND r.hidden_at IS NULL \
           AND NOT EXISTS (\
             SELECT 1 FROM space_members m WHERE m.space_id = t.space_id \
             AND m.user_id = r.author_id AND m.role = 'facilitator')) AS first_peer_answer_at \
         FROM threads t WHERE {scope} t.kind = 'question' AND t.created_at >= $1 \
         AND t.deleted_at IS NULL ORDER BY t.id",
        week = week_of(db, "t.created_at"),
        scope = match space {
            Some(_) => "t.space_id = $2 AND",
            None => "$2 IS NULL AND",
        }
    );
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(since)
    .bind(space)
    .fetch_all(pool)
    .await)?)
}

/// Posts per person since `since` (for how evenly people speak).
pub async fn posts_per_author(
    db: &Db,
    space: Option<i64>,
    since: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT COUNT(*) {posts} p.created_at >= $1 AND p.deleted_at IS NULL \
         AND p.hidden_at IS NULL AND p.author_id IS NOT NULL GROUP BY p.author_id",
        posts = posts_in(space)
    );
    Ok(with_db!(db, |pool| sqlx::query_scalar(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(since)
    .bind(space)
    .fetch_all(pool)
    .await)?)
}

/// Active members of a space who have never written in it: how many, and the first few
/// (id, name) for a facilitator to invite.
pub async fn never_wrote(db: &Db, space: i64) -> Result<(i64, Vec<(i64, String)>)> {
    const WHERE: &str = "FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.status = 'active' AND m.role <> 'facilitator' \
         AND NOT EXISTS (SELECT 1 FROM posts p JOIN threads t ON t.id = p.thread_id \
           WHERE p.author_id = m.user_id AND t.space_id = m.space_id)";
    let count_sql = format!("SELECT COUNT(*) {WHERE}");
    let list_sql = format!("SELECT u.id, u.display_name {WHERE} ORDER BY m.created_at LIMIT 3");
    let count: i64 = with_db!(db, |pool| sqlx::query_scalar(AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(space)
    .fetch_one(pool)
    .await)?;
    let first: Vec<(i64, String)> =
        with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(list_sql.as_str()))
            .bind(space)
            .fetch_all(pool)
            .await)?;
    Ok((count, first))
}

/// Care signals raised since `since` (when, and whether resolved and when), for the dashboard.
pub async fn signals_since(
    db: &Db,
    space: Option<i64>,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, String, Option<DateTime<Utc>>)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT created_at, status, updated_at FROM help_signals WHERE created_at >= $1 \
         AND ($2 IS NULL OR space_id = $2) ORDER BY id"
    )
    .bind(since)
    .bind(space)
    .fetch_all(pool)
    .await)?)
}

/// Every space that is not archived with each of its facilitators (for the weekly nudge).
pub async fn spaces_with_facilitators(db: &Db) -> Result<Vec<(i64, String, String, i64)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT s.id, s.slug, s.name, m.user_id FROM spaces s \
         JOIN space_members m ON m.space_id = s.id AND m.role = 'facilitator' \
         AND m.status = 'active' WHERE s.archived_at IS NULL ORDER BY s.id, m.user_id"
    )
    .fetch_all(pool)
    .await)?)
}

/// Remembers that a facilitator was nudged about a space this week: false when they were.
pub async fn note_voice_nudge_in(
    tx: &mut crate::Tx,
    space_id: i64,
    user_id: i64,
    week: i64,
) -> Result<bool> {
    let done = crate::with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO voice_nudges (space_id, user_id, week) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING"
    )
    .bind(space_id)
    .bind(user_id)
    .bind(week)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// One person's posts per week since `since` (week, posts), for their own page.
pub async fn weekly_posts_of(db: &Db, user: i64, since: DateTime<Utc>) -> Result<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT week, COUNT(*) FROM (SELECT {week} AS week FROM posts p WHERE p.author_id = $1 \
         AND p.created_at >= $2 AND p.deleted_at IS NULL) x GROUP BY week ORDER BY week",
        week = week_of(db, "p.created_at")
    );
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(user)
    .bind(since)
    .fetch_all(pool)
    .await)?)
}

/// A person's open goals with their accountability partners: what, and by when.
pub async fn open_goals_of(db: &Db, user: i64) -> Result<Vec<(String, chrono::NaiveDate)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT what, by_when FROM partner_goals WHERE user_id = $1 AND status = 'open' \
         ORDER BY by_when, id LIMIT 20"
    )
    .bind(user)
    .fetch_all(pool)
    .await)?)
}
