//! HR cases: evidence frozen at opening, notes, status and outcome, and the append-only audit log
//! (the database refuses updates and deletes on `hr_audit`).

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub subject_user_id: i64,
    pub subject_name: String,
    pub source: String,
    pub opened_by: Option<i64>,
    pub status: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub evidence: Json<serde_json::Value>,
    pub member_told_at: Option<DateTime<Utc>>,
    pub appeal: Option<String>,
    pub appealed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const CASE_COLUMNS: &str = "c.id, c.subject_user_id, u.display_name AS subject_name, c.source, c.opened_by, \
     c.status, c.outcome, c.outcome_note, c.evidence, c.member_told_at, c.appeal, c.appealed_at, \
     c.created_at, c.updated_at FROM hr_cases c JOIN users u ON u.id = c.subject_user_id";

pub async fn open_case(
    tx: &mut Tx,
    subject_user_id: i64,
    source: &str,
    opened_by: Option<i64>,
    evidence: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<i64> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO hr_cases (subject_user_id, source, opened_by, status, evidence, created_at, updated_at) \
             VALUES ($1, $2, $3, 'open', $4, $5, $5) RETURNING id",
        )
        .bind(subject_user_id)
        .bind(source)
        .bind(opened_by)
        .bind(Json(evidence))
        .bind(at)
        .fetch_one(conn)
        .await
    })?;
    audit(tx, Some(id), opened_by, "opened", at).await?;
    Ok(id)
}

pub async fn case(db: &Db, id: i64) -> Result<Option<CaseRow>> {
    let sql = format!("SELECT {CASE_COLUMNS} WHERE c.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Cases by status (all when `None`), open ones first, newest first.
pub async fn cases(db: &Db, status: Option<&str>, limit: i64) -> Result<Vec<CaseRow>> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} WHERE ($1 IS NULL OR c.status = $1) \
         ORDER BY CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END, c.id DESC LIMIT $2"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(status)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// A member's own cases, for telling them the outcome and hearing their appeal.
pub async fn cases_of(db: &Db, user_id: i64) -> Result<Vec<CaseRow>> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} WHERE c.subject_user_id = $1 AND c.member_told_at IS NOT NULL ORDER BY c.id DESC"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?)
}

pub struct CaseUpdate<'a> {
    pub status: &'a str,
    pub outcome: Option<&'a str>,
    pub outcome_note: Option<&'a str>,
    pub tell_member: bool,
    pub at: DateTime<Utc>,
}

pub async fn update_case(tx: &mut Tx, id: i64, update: &CaseUpdate<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE hr_cases SET status = $2, outcome = $3, outcome_note = $4, updated_at = $5, \
             member_told_at = CASE WHEN $6 THEN COALESCE(member_told_at, $5) ELSE member_told_at END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(update.status)
        .bind(update.outcome)
        .bind(update.outcome_note)
        .bind(update.at)
        .bind(update.tell_member)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn record_appeal(tx: &mut Tx, id: i64, text: &str, at: DateTime<Utc>) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE hr_cases SET appeal = $2, appealed_at = $3, updated_at = $3 \
             WHERE id = $1 AND appeal IS NULL AND member_told_at IS NOT NULL",
        )
        .bind(id)
        .bind(text)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn add_note(
    tx: &mut Tx,
    case_id: i64,
    author_id: i64,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO hr_case_notes (case_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(case_id)
        .bind(author_id)
        .bind(body)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn notes(db: &Db, case_id: i64) -> Result<Vec<NoteRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT n.id, u.display_name AS author_name, n.body, n.created_at FROM hr_case_notes n \
             LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = $1 ORDER BY n.id",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn audit(
    tx: &mut Tx,
    case_id: Option<i64>,
    actor_id: Option<i64>,
    action: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO hr_audit (case_id, actor_id, action, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(case_id)
        .bind(actor_id)
        .bind(action)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub created_at: DateTime<Utc>,
}

/// The audit log of one case, or of every case when `None`; newest first.
pub async fn audit_log(db: &Db, case_id: Option<i64>, limit: i64) -> Result<Vec<AuditRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.case_id, u.display_name AS actor_name, a.action, a.created_at FROM hr_audit a \
             LEFT JOIN users u ON u.id = a.actor_id WHERE ($1 IS NULL OR a.case_id = $1) \
             ORDER BY a.id DESC LIMIT $2",
        )
        .bind(case_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}
