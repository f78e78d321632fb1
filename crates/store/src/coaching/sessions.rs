//! Sessions of a request, the private note of each side, and the learner's rating.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewSession<'a> {
    pub request_id: i64,
    pub coach_id: i64,
    pub learner_id: i64,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub time_zone: &'a str,
    pub video_url: &'a str,
    pub status: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_session(tx: &mut Tx, s: &NewSession<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO coach_sessions (request_id, coach_id, learner_id, starts_at, duration_minutes, time_zone, \
             video_url, status, cancel_note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $9) RETURNING id",
        )
        .bind(s.request_id)
        .bind(s.coach_id)
        .bind(s.learner_id)
        .bind(s.starts_at)
        .bind(s.duration_minutes)
        .bind(s.time_zone)
        .bind(s.video_url)
        .bind(s.status)
        .bind(s.at)
        .fetch_one(conn)
        .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub request_id: i64,
    pub coach_id: i64,
    pub coach_name: String,
    pub learner_id: i64,
    pub learner_name: String,
    pub topic: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub time_zone: String,
    pub video_url: String,
    pub status: String,
    pub cancel_note: String,
    pub rated: bool,
}

const SESSION_COLUMNS: &str = "s.id, s.request_id, s.coach_id, c.display_name AS coach_name, s.learner_id, \
     l.display_name AS learner_name, r.topic, s.starts_at, s.duration_minutes, s.time_zone, s.video_url, \
     s.status, s.cancel_note, \
     CASE WHEN EXISTS (SELECT 1 FROM coach_outcomes o WHERE o.session_id = s.id) THEN TRUE ELSE FALSE END AS rated \
     FROM coach_sessions s JOIN coach_requests r ON r.id = s.request_id \
     JOIN users c ON c.id = s.coach_id JOIN users l ON l.id = s.learner_id";

pub async fn session(db: &Db, id: i64) -> Result<Option<SessionRow>> {
    let sql = format!("SELECT {SESSION_COLUMNS} WHERE s.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// A request's sessions, in time order (a request has few).
pub async fn sessions_of_request(db: &Db, request_id: i64) -> Result<Vec<SessionRow>> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} WHERE s.request_id = $1 ORDER BY s.starts_at, s.id LIMIT 200"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(request_id)
            .fetch_all(pool)
            .await
    })?)
}

/// The person's proposed and scheduled sessions (as coach or learner) ending after `from`,
/// soonest first.
pub async fn upcoming_sessions(
    db: &Db,
    person: i64,
    from: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<SessionRow>> {
    // Two indexed reads rather than one OR that neither index serves; a session has one coach
    // and one learner, and they differ, so nothing is read twice. `from` is already moved back
    // by the longest session so that a session under way still shows.
    let sql = format!(
        "SELECT * FROM (SELECT {SESSION_COLUMNS} WHERE s.coach_id = $1 AND s.starts_at >= $2 \
           AND s.status IN ('proposed', 'scheduled') \
         UNION ALL SELECT {SESSION_COLUMNS} WHERE s.learner_id = $1 AND s.starts_at >= $2 \
           AND s.status IN ('proposed', 'scheduled')) both_sides \
         ORDER BY starts_at, id LIMIT $3"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person)
            .bind(from)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Moves a session from `expected` to `status`, remembering who cancelled and why.
pub async fn set_session_status(
    tx: &mut Tx,
    id: i64,
    expected: &str,
    status: &str,
    by: i64,
    note: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_sessions SET status = $3, cancelled_by = CASE WHEN $3 = 'cancelled' THEN $4 ELSE cancelled_by END, \
             cancel_note = $5, updated_at = $6 WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(expected)
        .bind(status)
        .bind(by)
        .bind(note)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

/// Cancels the request's sessions that have not started (when the learner withdraws it).
/// Returns how many were cancelled.
pub async fn cancel_future_sessions(
    tx: &mut Tx,
    request_id: i64,
    by: i64,
    note: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_sessions SET status = 'cancelled', cancelled_by = $2, cancel_note = $3, updated_at = $4 \
             WHERE request_id = $1 AND status IN ('proposed', 'scheduled') AND starts_at > $4",
        )
        .bind(request_id)
        .bind(by)
        .bind(note)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?)
}

// ---- private notes ----

/// The author's own note on a session: the only read of notes there is.
pub async fn note(
    db: &Db,
    session_id: i64,
    author_id: i64,
) -> Result<Option<(String, DateTime<Utc>)>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT body, updated_at FROM coach_notes WHERE session_id = $1 AND author_id = $2",
        )
        .bind(session_id)
        .bind(author_id)
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn put_note(
    db: &Db,
    session_id: i64,
    author_id: i64,
    body: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO coach_notes (session_id, author_id, body, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (session_id, author_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(session_id)
        .bind(author_id)
        .bind(body)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

// ---- outcomes ----

pub struct NewOutcome<'a> {
    pub session_id: i64,
    pub coach_id: i64,
    pub learner_id: i64,
    pub helped: bool,
    pub rating: i64,
    pub comment: &'a str,
    pub at: DateTime<Utc>,
}

/// A second rating of the same session is a [`crate::StoreError::Conflict`].
pub async fn insert_outcome(tx: &mut Tx, o: &NewOutcome<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO coach_outcomes (session_id, coach_id, learner_id, helped, rating, comment, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(o.session_id)
        .bind(o.coach_id)
        .bind(o.learner_id)
        .bind(o.helped)
        .bind(o.rating)
        .bind(o.comment)
        .bind(o.at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    pub session_id: i64,
    pub helped: bool,
    pub rating: i64,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

pub async fn outcomes_of_request(db: &Db, request_id: i64) -> Result<Vec<OutcomeRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT o.session_id, o.helped, o.rating, o.comment, o.created_at FROM coach_outcomes o \
             JOIN coach_sessions s ON s.id = o.session_id WHERE s.request_id = $1 ORDER BY o.session_id",
        )
        .bind(request_id)
        .fetch_all(pool)
        .await
    })?)
}
