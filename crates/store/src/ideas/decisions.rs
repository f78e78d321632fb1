//! Every move of an idea with its note: the history people read on the idea's page.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewDecision<'a> {
    pub idea_id: i64,
    pub from_status: &'a str,
    pub to_status: &'a str,
    pub note: &'a str,
    pub actor_id: i64,
    pub at: DateTime<Utc>,
}

pub async fn insert_in(tx: &mut Tx, decision: &NewDecision<'_>) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO idea_decisions (idea_id, from_status, to_status, note, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(decision.idea_id)
    .bind(decision.from_status)
    .bind(decision.to_status)
    .bind(decision.note)
    .bind(decision.actor_id)
    .bind(decision.at)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub from_status: String,
    pub to_status: String,
    pub note: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An idea's decisions, oldest first.
pub async fn of_idea(db: &Db, idea: i64) -> Result<Vec<DecisionRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT d.from_status, d.to_status, d.note, d.actor_id, u.display_name AS actor_name, \
         d.created_at FROM idea_decisions d LEFT JOIN users u ON u.id = d.actor_id \
         WHERE d.idea_id = $1 ORDER BY d.id LIMIT 200"
    )
    .bind(idea)
    .fetch_all(pool)
    .await)?)
}

/// Whether the idea reached `status` before (read in the transaction that moves it again).
pub async fn reached_in(tx: &mut Tx, idea: i64, status: &str) -> Result<bool> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM idea_decisions WHERE idea_id = $1 AND to_status = $2)"
    )
    .bind(idea)
    .bind(status)
    .fetch_one(&mut *conn)
    .await)?)
}
