//! The points ledger. Lines are only ever added (the database refuses updates and deletes); a
//! reversal is a line of its own. Totals per person and per space and month are kept in the
//! same transaction, so that no page sums the ledger.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use guildhall_domain::rewards::Record;

pub struct NewLine<'a> {
    pub user_id: i64,
    pub rule: &'a str,
    pub points: i64,
    pub quantity: i64,
    pub source_kind: &'a str,
    pub source_id: i64,
    pub actor_id: Option<i64>,
    pub space_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// The month a line counts in on the leaderboards ("2026-12").
fn month_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// What the rules need: points the person earned by `rule` since `day_start`, and lines by
/// `rule` from `actor` to them since `week_start`.
pub async fn tally_in(
    tx: &mut Tx,
    user_id: i64,
    rule: &str,
    actor_id: Option<i64>,
    day_start: DateTime<Utc>,
    week_start: DateTime<Utc>,
) -> Result<(i64, i64)> {
    let (today, from_actor): (Option<i64>, i64) = with_tx!(tx, |conn| sqlx::query_as(
        "SELECT \
           (SELECT CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE user_id = $1 AND rule = $2 \
             AND created_at >= $4), \
           (SELECT COUNT(*) FROM points_ledger WHERE user_id = $1 AND rule = $2 \
             AND created_at >= $5 AND actor_id = $3 AND reverses_id IS NULL)"
    )
    .bind(user_id)
    .bind(rule)
    .bind(actor_id)
    .bind(day_start)
    .bind(week_start)
    .fetch_one(conn)
    .await)?;
    Ok((today.unwrap_or(0), from_actor))
}

/// Adds a line and its points to the totals; `None` when the same award is there already.
pub async fn add_line_in(
    tx: &mut Tx,
    line: &NewLine<'_>,
    month_at: DateTime<Utc>,
) -> Result<Option<i64>> {
    let id: Option<i64> = with_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO points_ledger (user_id, rule, points, quantity, source_kind, source_id, \
         actor_id, space_id, reverses_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id"
    )
    .bind(line.user_id)
    .bind(line.rule)
    .bind(line.points)
    .bind(line.quantity)
    .bind(line.source_kind)
    .bind(line.source_id)
    .bind(line.actor_id)
    .bind(line.space_id)
    .bind(line.reverses_id)
    .bind(line.at)
    .fetch_optional(conn)
    .await)?;
    if id.is_none() {
        return Ok(None);
    }
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO points_totals (user_id, points) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO UPDATE SET points = points_totals.points + excluded.points"
    )
    .bind(line.user_id)
    .bind(line.points)
    .execute(conn)
    .await
    .map(|_| ()))?;
    if let Some(space_id) = line.space_id {
        with_tx!(tx, |conn| sqlx::query(
            "INSERT INTO space_points (space_id, month, user_id, points) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (space_id, month, user_id) \
             DO UPDATE SET points = space_points.points + excluded.points"
        )
        .bind(space_id)
        .bind(month_of(month_at))
        .bind(line.user_id)
        .bind(line.points)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(id)
}

/// A line that still stands: neither a reversal nor reversed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StandingLine {
    pub id: i64,
    pub user_id: i64,
    pub rule: String,
    pub points: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub actor_id: Option<i64>,
    pub space_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// The standing lines earned from one source (a post, an idea…), by `actor` when given.
pub async fn standing_lines_in(
    tx: &mut Tx,
    source_kind: &str,
    source_id: i64,
    actor_id: Option<i64>,
) -> Result<Vec<StandingLine>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(
        "SELECT l.id, l.user_id, l.rule, l.points, l.source_kind, l.source_id, l.actor_id, \
         l.space_id, l.created_at FROM points_ledger l \
         WHERE l.source_kind = $1 AND l.source_id = $2 AND l.reverses_id IS NULL \
         AND ($3 IS NULL OR l.actor_id = $3) \
         AND NOT EXISTS (SELECT 1 FROM points_ledger r WHERE r.reverses_id = l.id) \
         ORDER BY l.id"
    )
    .bind(source_kind)
    .bind(source_id)
    .bind(actor_id)
    .fetch_all(conn)
    .await)?)
}

/// What the badge rules read about a person, from their standing lines.
pub async fn record_in(tx: &mut Tx, user_id: i64) -> Result<Record> {
    let row: (i64, i64, i64, Option<i64>, i64) = with_tx!(tx, |conn| sqlx::query_as(
        "SELECT \
           COUNT(*) FILTER (WHERE rule = 'answer_accepted'), \
           COUNT(DISTINCT CASE WHEN rule IN ('answer_accepted', 'helpful_reaction') \
             THEN source_id END), \
           COUNT(*) FILTER (WHERE rule = 'idea_adopted'), \
           MAX(CASE WHEN rule = 'check_in_streak' THEN quantity END), \
           COUNT(*) FILTER (WHERE rule = 'coaching_session_given') \
         FROM points_ledger l WHERE l.user_id = $1 AND l.reverses_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM points_ledger r WHERE r.reverses_id = l.id)"
    )
    .bind(user_id)
    .fetch_one(conn)
    .await)?;
    Ok(Record {
        accepted_answers: row.0,
        helpful_answers: row.1,
        ideas_adopted: row.2,
        longest_streak_weeks: row.3.unwrap_or(0),
        sessions_given: row.4,
    })
}

/// A line as the member's page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub rule: String,
    pub points: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub actor_name: Option<String>,
    pub space_name: Option<String>,
    pub reversal: bool,
    pub created_at: DateTime<Utc>,
}

/// A person's ledger, newest first, before the line `before` (the page cursor).
pub async fn ledger_of(db: &Db, user_id: i64, before: i64, limit: i64) -> Result<Vec<LedgerRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT l.id, l.rule, l.points, l.source_kind, l.source_id, a.display_name AS actor_name, \
         s.name AS space_name, (l.reverses_id IS NOT NULL) AS reversal, l.created_at \
         FROM points_ledger l LEFT JOIN users a ON a.id = l.actor_id \
         LEFT JOIN spaces s ON s.id = l.space_id \
         WHERE l.user_id = $1 AND l.id < $2 ORDER BY l.id DESC LIMIT $3"
    )
    .bind(user_id)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn total_of(db: &Db, user_id: i64) -> Result<i64> {
    let total: Option<i64> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT points FROM points_totals WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?;
    Ok(total.unwrap_or(0))
}

/// The sum of a person's ledger, for checking the kept total.
pub async fn ledger_sum(db: &Db, user_id: i64) -> Result<i64> {
    let sum: Option<i64> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_one(pool)
    .await)?;
    Ok(sum.unwrap_or(0))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeaderRow {
    pub user_id: i64,
    pub display_name: String,
    pub photo_sha256: Option<String>,
    pub points: i64,
}

/// A space's month, most points first — only people who chose to appear on leaderboards.
pub async fn leaderboard(
    db: &Db,
    space_id: i64,
    month: &str,
    limit: i64,
) -> Result<Vec<LeaderRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.photo_sha256, p.points \
         FROM space_points p JOIN reward_preferences r ON r.user_id = p.user_id \
         AND r.on_leaderboards JOIN users u ON u.id = p.user_id AND u.status = 'active' \
         WHERE p.space_id = $1 AND p.month = $2 AND p.points > 0 \
         ORDER BY p.points DESC, p.user_id LIMIT $3"
    )
    .bind(space_id)
    .bind(month)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn on_leaderboards(db: &Db, user_id: i64) -> Result<bool> {
    let chosen: Option<bool> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT on_leaderboards FROM reward_preferences WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?;
    Ok(chosen.unwrap_or(false))
}

pub async fn set_on_leaderboards(db: &Db, user_id: i64, on: bool, at: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "INSERT INTO reward_preferences (user_id, on_leaderboards, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET on_leaderboards = excluded.on_leaderboards, \
         updated_at = excluded.updated_at"
    )
    .bind(user_id)
    .bind(on)
    .bind(at)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn set_space_leaderboard(db: &Db, space_id: i64, on: bool) -> Result<()> {
    with_db!(db, |pool| sqlx::query(
        "UPDATE spaces SET leaderboard = $2 WHERE id = $1"
    )
    .bind(space_id)
    .bind(on)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn space_leaderboard_on(db: &Db, space_id: i64) -> Result<bool> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT leaderboard FROM spaces WHERE id = $1"
    )
    .bind(space_id)
    .fetch_one(pool)
    .await)?)
}
