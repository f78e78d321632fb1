//! Sanctions (warning, mute, suspension, ban), appeals, and the public moderation log.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SanctionRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub space_id: Option<i64>,
    pub space_name: Option<String>,
    pub reason: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub appeal_id: Option<i64>,
    pub appeal_outcome: Option<String>,
}

const SANCTION_COLUMNS: &str = "s.id, s.user_id, s.kind, s.space_id, sp.name AS space_name, s.reason, \
     s.created_by, s.created_at, s.ends_at, s.acknowledged_at, s.lifted_at, a.id AS appeal_id, \
     a.outcome AS appeal_outcome FROM sanctions s LEFT JOIN spaces sp ON sp.id = s.space_id \
     LEFT JOIN appeals a ON a.sanction_id = s.id";

pub struct NewSanction<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub space_id: Option<i64>,
    pub reason: &'a str,
    pub review_item_id: Option<i64>,
    pub created_by: i64,
    pub at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

pub async fn insert(tx: &mut Tx, sanction: &NewSanction<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO sanctions (user_id, kind, space_id, reason, review_item_id, created_by, created_at, ends_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(sanction.user_id)
        .bind(sanction.kind)
        .bind(sanction.space_id)
        .bind(sanction.reason)
        .bind(sanction.review_item_id)
        .bind(sanction.created_by)
        .bind(sanction.at)
        .bind(sanction.ends_at)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn sanction(db: &Db, id: i64) -> Result<Option<SanctionRow>> {
    let sql = format!("SELECT {SANCTION_COLUMNS} WHERE s.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// A person's sanctions, newest first.
fn for_user_sql() -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!(
        "SELECT {SANCTION_COLUMNS} WHERE s.user_id = $1 ORDER BY s.id DESC"
    ))
}

pub async fn for_user(db: &Db, user_id: i64) -> Result<Vec<SanctionRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(for_user_sql())
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
}

/// The same, read by a transaction that records evidence (an HR case).
pub async fn for_user_in(tx: &mut Tx, user_id: i64) -> Result<Vec<SanctionRow>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(for_user_sql())
        .bind(user_id)
        .fetch_all(conn)
        .await)?)
}

pub async fn acknowledge(db: &Db, id: i64, user_id: i64, at: DateTime<Utc>) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE sanctions SET acknowledged_at = $3 WHERE id = $1 AND user_id = $2 \
             AND kind = 'warning' AND acknowledged_at IS NULL",
        )
        .bind(id)
        .bind(user_id)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn lift(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE sanctions SET lifted_at = $2 WHERE id = $1 AND lifted_at IS NULL")
            .bind(id)
            .bind(at)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// What stands between a person and writing, read on every write.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Standing {
    pub current_conduct: Option<i64>,
    pub accepted_conduct: Option<i64>,
    pub unacknowledged_warning: Option<i64>,
    pub muted_until: Option<DateTime<Utc>>,
}

pub async fn standing(
    db: &Db,
    user_id: i64,
    space_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Standing> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT MAX(version) FROM conduct_versions) AS current_conduct, \
             (SELECT MAX(version) FROM conduct_acceptances WHERE user_id = $1) AS accepted_conduct, \
             (SELECT MIN(id) FROM sanctions WHERE user_id = $1 AND kind = 'warning' \
                AND acknowledged_at IS NULL AND lifted_at IS NULL) AS unacknowledged_warning, \
             (SELECT MAX(ends_at) FROM sanctions WHERE user_id = $1 AND kind = 'mute' \
                AND lifted_at IS NULL AND ends_at > $3 AND (space_id IS NULL OR space_id = $2)) AS muted_until",
        )
        .bind(user_id)
        .bind(space_id)
        .bind(now)
        .fetch_one(pool)
        .await
    })?)
}

/// The suspension that ended most recently without being lifted, for re-activating at sign-in.
pub async fn active_suspension_end(db: &Db, user_id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT MAX(ends_at) FROM sanctions WHERE user_id = $1 AND kind = 'suspension' AND lifted_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppealRow {
    pub id: i64,
    pub sanction_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub statement: String,
    pub created_at: DateTime<Utc>,
    pub sanction_kind: String,
    pub sanction_reason: String,
    pub sanctioned_by: Option<i64>,
    pub outcome: Option<String>,
}

const APPEAL_COLUMNS: &str = "a.id, a.sanction_id, a.user_id, u.display_name AS user_name, a.statement, \
     a.created_at, s.kind AS sanction_kind, s.reason AS sanction_reason, s.created_by AS sanctioned_by, \
     a.outcome FROM appeals a JOIN sanctions s ON s.id = a.sanction_id JOIN users u ON u.id = a.user_id";

pub async fn insert_appeal(
    db: &Db,
    sanction_id: i64,
    user_id: i64,
    statement: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO appeals (sanction_id, user_id, statement, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sanction_id) DO NOTHING",
        )
        .bind(sanction_id)
        .bind(user_id)
        .bind(statement)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn open_appeals(db: &Db) -> Result<Vec<AppealRow>> {
    let sql = format!("SELECT {APPEAL_COLUMNS} WHERE a.outcome IS NULL ORDER BY a.id");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await
    })?)
}

pub async fn appeal(db: &Db, id: i64) -> Result<Option<AppealRow>> {
    let sql = format!("SELECT {APPEAL_COLUMNS} WHERE a.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn decide_appeal(
    tx: &mut Tx,
    id: i64,
    by: i64,
    outcome: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE appeals SET decided_by = $2, outcome = $3, note = $4, decided_at = $5 \
             WHERE id = $1 AND outcome IS NULL",
        )
        .bind(id)
        .bind(by)
        .bind(outcome)
        .bind(note)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRow {
    pub id: i64,
    pub action: String,
    pub role: String,
    pub subject: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

pub async fn log(
    tx: &mut Tx,
    action: &str,
    role: &str,
    subject: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO moderation_log (action, role, subject, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(action)
        .bind(role)
        .bind(subject)
        .bind(reason)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Newest first, before `before_id`.
pub async fn public_log(db: &Db, before_id: i64, limit: i64) -> Result<Vec<LogRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, action, role, subject, reason, created_at FROM moderation_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}
