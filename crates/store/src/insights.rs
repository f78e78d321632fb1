//! Care signals, what helpers did about them, every view of them, and the member's choices.
//! Who may see a signal is decided here only as far as "who has a helping relation" (partner,
//! facilitator of the space, coach); `domain::insights::may_see` adds pauses and strict mode.

pub mod activity;
pub mod monitor;
pub mod report;

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, NaiveDate, Utc};
// The queries put together with `format!` join constants of this file only, never input.
use sqlx::AssertSqlSafe;

pub struct NewHelpSignal<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    /// What the signal is about ("thread:12", "partnership:3"); with `period` it is recorded once.
    pub subject: &'a str,
    pub period: NaiveDate,
    pub reason: &'a str,
    pub space_id: Option<i64>,
    /// The evidence, a local link the helpers may already read.
    pub link: &'a str,
    pub now: DateTime<Utc>,
}

/// Records a signal once: false when this one was recorded already.
pub async fn record_help_signal(tx: &mut Tx, s: &NewHelpSignal<'_>) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO help_signals (user_id, kind, subject, period, reason, space_id, link, \
             status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8) \
             ON CONFLICT DO NOTHING",
        )
        .bind(s.user_id)
        .bind(s.kind)
        .bind(s.subject)
        .bind(s.period)
        .bind(s.reason)
        .bind(s.space_id)
        .bind(s.link)
        .bind(s.now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HelpSignalRow {
    pub id: i64,
    pub user_id: i64,
    pub member_name: String,
    pub kind: String,
    pub subject: String,
    pub period: NaiveDate,
    pub reason: String,
    pub space_id: Option<i64>,
    pub space_name: Option<String>,
    pub link: String,
    pub status: String,
    pub claimed_by: Option<i64>,
    pub claimed_by_name: Option<String>,
    /// The member paused their non-essential signals.
    pub paused: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "s.id, s.user_id, m.display_name AS member_name, s.kind, s.subject, \
     s.period, s.reason, s.space_id, sp.name AS space_name, s.link, s.status, s.claimed_by, \
     c.display_name AS claimed_by_name, COALESCE(ip.paused, FALSE) AS paused, s.created_at, \
     s.updated_at";
/// The names and the member's choice beside a signal `s`.
const JOINS: &str = "JOIN users m ON m.id = s.user_id LEFT JOIN spaces sp ON sp.id = s.space_id \
     LEFT JOIN users c ON c.id = s.claimed_by \
     LEFT JOIN insight_preferences ip ON ip.user_id = s.user_id";

/// The signals about one person, newest first (what the person may see about themselves).
pub async fn help_signals_of(db: &Db, user_id: i64) -> Result<Vec<HelpSignalRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_signals s {JOINS} WHERE s.user_id = $1 \
         ORDER BY s.id DESC LIMIT 200"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn help_signal(db: &Db, id: i64) -> Result<Option<HelpSignalRow>> {
    let sql = format!("SELECT {COLUMNS} FROM help_signals s {JOINS} WHERE s.id = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// The people `helper` helps: members of an active partnership with them, learners of their
/// active coaching, with the relation.
const HELPED_BY: &str = "SELECT b.user_id AS member_id, 'partner' AS relation \
     FROM partnership_members a JOIN partnerships p ON p.id = a.partnership_id AND p.status = 'active' \
     JOIN partnership_members b ON b.partnership_id = a.partnership_id AND b.active \
     WHERE a.user_id = $1 AND a.active AND b.user_id <> $1 \
     UNION SELECT learner_id, 'coach' FROM coach_requests WHERE coach_id = $1 AND status = 'active'";

/// Signals `helper` has a helping relation to, newest first, each with the relation: as a
/// partner or coach of the member, or as a facilitator of the space where it arose. A signal
/// can come twice (partner and facilitator); the caller keeps the first.
pub async fn signals_for_helper(
    db: &Db,
    helper: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<(HelpSignalRow, String)>> {
    // Ids first, newest first and one page per branch (index-only scans of
    // help_signals_user_idx / help_signals_space_idx), then the names for that page only: a
    // facilitator of a busy space has thousands of signals, and joining them all to sort them
    // made the page take ~12 ms at scale instead of one.
    let sql = format!(
        "SELECT {COLUMNS}, q.relation FROM (\
           SELECT * FROM (SELECT s.id, h.relation FROM ({HELPED_BY}) h \
             JOIN help_signals s ON s.user_id = h.member_id WHERE s.id < $2 \
             ORDER BY s.id DESC LIMIT $3) helped \
           UNION ALL \
           SELECT * FROM (SELECT s.id, 'facilitator' AS relation FROM space_members f \
             JOIN help_signals s ON s.space_id = f.space_id \
             WHERE f.user_id = $1 AND f.role = 'facilitator' AND f.status = 'active' \
             AND s.id < $2 AND s.user_id <> $1 ORDER BY s.id DESC LIMIT $3) facilitated \
         ) q JOIN help_signals s ON s.id = q.id {JOINS} ORDER BY q.id DESC LIMIT $3"
    );
    let rows: Vec<SignalWithRelation> =
        with_db!(db, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(helper)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
    Ok(rows.into_iter().map(|r| (r.signal, r.relation)).collect())
}

#[derive(sqlx::FromRow)]
struct SignalWithRelation {
    #[sqlx(flatten)]
    signal: HelpSignalRow,
    relation: String,
}

/// How `helper` is related to a member as far as one signal goes (partner, coach, or
/// facilitator of `space_id`), in that order of preference.
pub async fn relation_to(
    db: &Db,
    helper: i64,
    member: i64,
    space_id: Option<i64>,
) -> Result<Option<String>> {
    let sql = format!(
        "SELECT relation FROM ({HELPED_BY}) h WHERE member_id = $2 \
         UNION ALL SELECT 'facilitator' FROM space_members WHERE space_id = $3 AND user_id = $1 \
         AND role = 'facilitator' AND status = 'active' AND $2 <> $1"
    );
    let relations: Vec<String> =
        with_db!(db, |pool| sqlx::query_scalar(AssertSqlSafe(sql.as_str()))
            .bind(helper)
            .bind(member)
            .bind(space_id)
            .fetch_all(pool)
            .await)?;
    Ok(["partner", "coach", "facilitator"]
        .into_iter()
        .find(|r| relations.iter().any(|x| x == r))
        .map(str::to_owned))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HelperRow {
    pub user_id: i64,
    pub display_name: String,
    pub relation: String,
    pub space_id: Option<i64>,
}

/// Everyone with a helping relation to `member`: partners, coaches, and the facilitators of
/// the spaces their signals arose in.
pub async fn helpers_of(db: &Db, member: i64) -> Result<Vec<HelperRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, h.relation, h.space_id FROM (\
           SELECT b.user_id AS helper_id, 'partner' AS relation, CAST(NULL AS BIGINT) AS space_id \
           FROM partnership_members a JOIN partnerships p ON p.id = a.partnership_id \
           AND p.status = 'active' JOIN partnership_members b \
           ON b.partnership_id = a.partnership_id AND b.active \
           WHERE a.user_id = $1 AND a.active AND b.user_id <> $1 \
           UNION SELECT coach_id, 'coach', CAST(NULL AS BIGINT) FROM coach_requests \
           WHERE learner_id = $1 AND status = 'active' \
           UNION SELECT f.user_id, 'facilitator', f.space_id FROM space_members f \
           WHERE f.role = 'facilitator' AND f.status = 'active' AND f.user_id <> $1 \
           AND f.space_id IN (SELECT space_id FROM help_signals WHERE user_id = $1) \
         ) h JOIN users u ON u.id = h.helper_id ORDER BY h.relation, u.display_name"
    )
    .bind(member)
    .fetch_all(pool)
    .await)?)
}

/// Moves a signal to `status`; `claimed_by` is set on a claim and kept otherwise.
pub async fn set_status_in(
    tx: &mut Tx,
    id: i64,
    status: &str,
    claimed_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE help_signals SET status = $2, claimed_by = COALESCE($3, claimed_by), \
         updated_at = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(status)
    .bind(claimed_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Resolves the open "waiting for an answer" signals about `subject` (someone answered).
pub async fn resolve_answered_in(tx: &mut Tx, subject: &str, now: DateTime<Utc>) -> Result<u64> {
    Ok(with_tx!(tx, |conn| sqlx::query(
        "UPDATE help_signals SET status = 'resolved', updated_at = $2 WHERE subject = $1 \
         AND kind IN ('unanswered_question', 'unanswered_first_post') \
         AND status IN ('open', 'claimed', 'reached_out')"
    )
    .bind(subject)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?)
}

/// How many posts `user` has written, counting to two (is this their first?).
pub async fn post_count_of_in(tx: &mut Tx, user: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM posts WHERE author_id = $1 LIMIT 2) AS firsts"
    )
    .bind(user)
    .fetch_one(conn)
    .await)?)
}

/// A post waiting for a reply, as it stands now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingPost {
    pub title: String,
    pub space_id: i64,
    pub created_at: DateTime<Utc>,
    pub replied_by_others: bool,
}

/// `None` when the post or its thread is deleted or held.
pub async fn waiting_post(db: &Db, post_id: i64) -> Result<Option<WaitingPost>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT t.title, t.space_id, p.created_at, EXISTS (SELECT 1 FROM posts r \
           WHERE r.thread_id = p.thread_id AND r.id > p.id AND r.author_id <> p.author_id \
           AND r.deleted_at IS NULL AND r.hidden_at IS NULL) AS replied_by_others \
         FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = $1 \
         AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL"
    )
    .bind(post_id)
    .fetch_optional(pool)
    .await)?)
}

/// Who said they were going to an event and did not attend, when attendance was taken.
pub async fn missed_rsvps(db: &Db, event_id: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT user_id FROM event_rsvps WHERE event_id = $1 AND going AND NOT attended \
         AND EXISTS (SELECT 1 FROM event_rsvps WHERE event_id = $1 AND attended) \
         ORDER BY user_id"
    )
    .bind(event_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn insert_action_in(
    tx: &mut Tx,
    signal_id: i64,
    actor_id: i64,
    action: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO care_actions (signal_id, actor_id, action, note, created_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(signal_id)
    .bind(actor_id)
    .bind(action)
    .bind(note)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CareActionRow {
    pub actor_name: Option<String>,
    pub action: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn actions_of(db: &Db, signal_id: i64) -> Result<Vec<CareActionRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT u.display_name AS actor_name, a.action, a.note, a.created_at FROM care_actions a \
         LEFT JOIN users u ON u.id = a.actor_id WHERE a.signal_id = $1 ORDER BY a.id"
    )
    .bind(signal_id)
    .fetch_all(pool)
    .await)?)
}

/// Logs that `viewer` saw these signals: (signal, its member, the viewer's relation).
pub async fn log_views(
    db: &Db,
    views: &[(i64, i64, &str)],
    viewer: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if views.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |conn| {
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO care_views (signal_id, member_id, viewer_id, relation, created_at) ",
        );
        query.push_values(views, |mut row, (signal_id, member_id, relation)| {
            row.push_bind(*signal_id)
                .push_bind(*member_id)
                .push_bind(viewer)
                .push_bind(*relation)
                .push_bind(now);
        });
        query.build().execute(&mut *conn).await.map(|_| ())
    })?;
    tx.commit().await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CareViewRow {
    pub signal_id: i64,
    pub viewer_name: Option<String>,
    pub relation: String,
    pub created_at: DateTime<Utc>,
}

/// Who looked at a member's signals, newest first.
pub async fn views_of_member(db: &Db, member: i64, limit: i64) -> Result<Vec<CareViewRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT v.signal_id, u.display_name AS viewer_name, v.relation, v.created_at \
         FROM care_views v LEFT JOIN users u ON u.id = v.viewer_id \
         WHERE v.member_id = $1 ORDER BY v.id DESC LIMIT $2"
    )
    .bind(member)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

const PAUSED: &str = "SELECT paused FROM insight_preferences WHERE user_id = $1";

/// Whether the member paused their non-essential signals.
pub async fn paused(db: &Db, user_id: i64) -> Result<bool> {
    let paused: Option<bool> = with_db!(db, |pool| sqlx::query_scalar(PAUSED)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?;
    Ok(paused.unwrap_or(false))
}

/// The same, read through a write's own transaction.
pub async fn paused_in(tx: &mut Tx, user_id: i64) -> Result<bool> {
    let paused: Option<bool> = with_tx!(tx, |conn| sqlx::query_scalar(PAUSED)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?;
    Ok(paused.unwrap_or(false))
}

pub async fn set_paused(db: &Db, user_id: i64, paused: bool, now: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "INSERT INTO insight_preferences (user_id, paused, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET paused = excluded.paused, \
         updated_at = excluded.updated_at"
    )
    .bind(user_id)
    .bind(paused)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Who a post was aimed at: the author of the post it replies to, else the thread's author;
/// with the thread and space. `None` when that is the post's own author.
pub async fn post_target_in(tx: &mut Tx, post_id: i64) -> Result<Option<(i64, i64, i64)>> {
    let row: Option<(Option<i64>, i64, i64)> = with_tx!(tx, |conn| sqlx::query_as(
        "SELECT COALESCE(r.author_id, t.author_id), t.id, t.space_id FROM posts p \
         JOIN threads t ON t.id = p.thread_id LEFT JOIN posts r ON r.id = p.reply_to_id \
         WHERE p.id = $1 AND COALESCE(r.author_id, t.author_id) <> p.author_id"
    )
    .bind(post_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.and_then(|(target, thread, space)| target.map(|t| (t, thread, space))))
}

/// Days on which people posted since `since` (for "gone quiet"), one row per person and day.
pub async fn posting_days_since(db: &Db, since: DateTime<Utc>) -> Result<Vec<(i64, NaiveDate)>> {
    let rows: Vec<(i64, DateTime<Utc>)> = with_db!(db, |pool| sqlx::query_as(
        "SELECT author_id, created_at FROM posts WHERE created_at >= $1 \
         AND author_id IS NOT NULL AND deleted_at IS NULL"
    )
    .bind(since)
    .fetch_all(pool)
    .await)?;
    let mut days: Vec<(i64, NaiveDate)> = rows
        .into_iter()
        .map(|(user, at)| (user, at.date_naive()))
        .collect();
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// The space a person last posted in.
pub async fn last_space_of(db: &Db, user_id: i64) -> Result<Option<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT t.space_id FROM posts p JOIN threads t ON t.id = p.thread_id \
         WHERE p.author_id = $1 ORDER BY p.id DESC LIMIT 1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?)
}

/// Posts a person wrote since `since` (a measure shown on their own insights page).
pub async fn posts_since(db: &Db, user: i64, since: DateTime<Utc>) -> Result<i64> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM posts WHERE author_id = $1 AND created_at >= $2 \
         AND deleted_at IS NULL"
    )
    .bind(user)
    .bind(since)
    .fetch_one(pool)
    .await)?)
}
