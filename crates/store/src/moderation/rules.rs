//! The organisation's word and link rules, and blocked attempts kept as evidence.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WordRuleRow {
    pub id: i64,
    pub pattern: String,
    pub action: String,
    pub replacement: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRuleRow {
    pub id: i64,
    pub domain: String,
    pub policy: String,
}

pub async fn word_rules(db: &Db) -> Result<Vec<WordRuleRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, pattern, action, replacement FROM word_rules ORDER BY pattern")
            .fetch_all(pool)
            .await
    })?)
}

pub async fn link_rules(db: &Db) -> Result<Vec<LinkRuleRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, domain, policy FROM link_rules ORDER BY domain")
            .fetch_all(pool)
            .await
    })?)
}

/// Adds or updates the rule for a pattern.
pub async fn save_word_rule(
    db: &Db,
    pattern: &str,
    action: &str,
    replacement: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO word_rules (pattern, action, replacement, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pattern) DO UPDATE \
             SET action = excluded.action, replacement = excluded.replacement",
        )
        .bind(pattern)
        .bind(action)
        .bind(replacement)
        .bind(by)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn save_link_rule(
    db: &Db,
    domain: &str,
    policy: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO link_rules (domain, policy, created_by, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (domain) DO UPDATE SET policy = excluded.policy",
        )
        .bind(domain)
        .bind(policy)
        .bind(by)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn delete_word_rule(db: &Db, id: i64) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM word_rules WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn delete_link_rule(db: &Db, id: i64) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM link_rules WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub struct BlockedAttempt<'a> {
    pub user_id: i64,
    pub place: &'a str,
    pub content: &'a str,
    pub verdict: &'a serde_json::Value,
    pub at: DateTime<Utc>,
}

pub async fn insert_blocked_attempt(tx: &mut Tx, attempt: &BlockedAttempt<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO blocked_attempts (user_id, place, content, verdict, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(attempt.user_id)
        .bind(attempt.place)
        .bind(attempt.content)
        .bind(Json(attempt.verdict))
        .bind(attempt.at)
        .fetch_one(conn)
        .await
    })?)
}

/// Recent posts by a person since a moment, and how many of them have exactly this text: the
/// flood and duplicate limits for new members.
pub async fn recent_posts(
    db: &Db,
    user_id: i64,
    since: DateTime<Utc>,
    body: &str,
) -> Result<(i64, i64)> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN body = $3 THEN 1 ELSE 0 END), 0) FROM posts \
             WHERE author_id = $1 AND created_at >= $2",
        )
        .bind(user_id)
        .bind(since)
        .bind(body)
        .fetch_one(pool)
        .await
    })?)
}
