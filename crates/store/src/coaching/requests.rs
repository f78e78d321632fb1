//! Requests for coaching, from a learner to a coach.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewRequest<'a> {
    pub learner_id: i64,
    pub coach_id: i64,
    pub skill_id: Option<i64>,
    pub topic: &'a str,
    pub goal: &'a str,
    pub preferred_times: &'a str,
    pub time_zone: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_request(tx: &mut Tx, r: &NewRequest<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO coach_requests (learner_id, coach_id, skill_id, topic, goal, preferred_times, time_zone, \
             status, decline_note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', '', $8, $8) \
             RETURNING id",
        )
        .bind(r.learner_id)
        .bind(r.coach_id)
        .bind(r.skill_id)
        .bind(r.topic)
        .bind(r.goal)
        .bind(r.preferred_times)
        .bind(r.time_zone)
        .bind(r.at)
        .fetch_one(conn)
        .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub learner_id: i64,
    pub learner_name: String,
    pub coach_id: i64,
    pub coach_name: String,
    pub skill_name: Option<String>,
    pub topic: String,
    pub goal: String,
    pub preferred_times: String,
    pub time_zone: String,
    pub status: String,
    pub decline_note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const REQUEST_COLUMNS: &str = "r.id, r.learner_id, l.display_name AS learner_name, r.coach_id, \
     c.display_name AS coach_name, s.name AS skill_name, r.topic, r.goal, r.preferred_times, r.time_zone, \
     r.status, r.decline_note, r.created_at, r.updated_at \
     FROM coach_requests r JOIN users l ON l.id = r.learner_id JOIN users c ON c.id = r.coach_id \
     LEFT JOIN skills s ON s.id = r.skill_id";

pub async fn request(db: &Db, id: i64) -> Result<Option<RequestRow>> {
    let sql = format!("SELECT {REQUEST_COLUMNS} WHERE r.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Requests the person sent (`as_coach` false) or received, newest first, before the id `before`.
pub async fn requests_of(
    db: &Db,
    person: i64,
    as_coach: bool,
    before: i64,
    limit: i64,
) -> Result<Vec<RequestRow>> {
    let side = if as_coach {
        "r.coach_id"
    } else {
        "r.learner_id"
    };
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} WHERE {side} = $1 AND r.id < $2 ORDER BY r.id DESC LIMIT $3"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Moves a request from `expected` to `status` (with the coach's note when declining).
pub async fn set_request_status(
    tx: &mut Tx,
    id: i64,
    expected: &str,
    status: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_requests SET status = $3, decline_note = $4, updated_at = $5 \
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(expected)
        .bind(status)
        .bind(note)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

/// Requests waiting for the coach (to close them when the coach withdraws).
pub async fn open_requests_for(db: &Db, coach_id: i64) -> Result<Vec<RequestRow>> {
    let sql =
        format!("SELECT {REQUEST_COLUMNS} WHERE r.coach_id = $1 AND r.status = 'open' LIMIT 500");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(coach_id)
            .fetch_all(pool)
            .await
    })?)
}

/// Whether the learner already has a request waiting for this coach.
pub async fn open_request_between(db: &Db, learner: i64, coach: i64) -> Result<Option<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM coach_requests WHERE learner_id = $1 AND coach_id = $2 AND status = 'open' LIMIT 1",
        )
        .bind(learner)
        .bind(coach)
        .fetch_optional(pool)
        .await
    })?)
}
