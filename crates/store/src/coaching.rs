//! Coaching: coach profiles and their skills, requests, sessions, private notes and outcomes.
//! Status changes are conditional updates (`… WHERE status = expected`): two people acting at
//! once cannot both win, and the loser learns it from a `false`.

use crate::network::placeholders;
use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

// ---- coach profiles ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CoachRow {
    pub user_id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_sha256: Option<String>,
    pub status: String,
    pub bio: String,
    pub capacity: i64,
    pub time_zone: String,
    pub availability: String,
    pub decision_note: String,
    pub applied_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

const COACH_COLUMNS: &str = "c.user_id, u.display_name, u.title, u.department, u.photo_sha256, c.status, \
     c.bio, c.capacity, c.time_zone, c.availability, c.decision_note, c.applied_at, c.decided_at \
     FROM coach_profiles c JOIN users u ON u.id = c.user_id";

pub async fn coach(db: &Db, user_id: i64) -> Result<Option<CoachRow>> {
    let sql = format!("SELECT {COACH_COLUMNS} WHERE c.user_id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?)
}

pub struct CoachFields<'a> {
    pub user_id: i64,
    pub bio: &'a str,
    pub capacity: i64,
    pub time_zone: &'a str,
    pub availability: &'a str,
    pub at: DateTime<Utc>,
}

/// A new application (or a new one after a decline or withdrawal): pending, undecided.
pub async fn apply(tx: &mut Tx, fields: &CoachFields<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO coach_profiles (user_id, status, bio, capacity, time_zone, availability, decision_note, \
             applied_at, updated_at) VALUES ($1, 'pending', $2, $3, $4, $5, '', $6, $6) \
             ON CONFLICT (user_id) DO UPDATE SET status = 'pending', bio = excluded.bio, capacity = excluded.capacity, \
             time_zone = excluded.time_zone, availability = excluded.availability, decided_by = NULL, \
             decision_note = '', decided_at = NULL, applied_at = excluded.applied_at, updated_at = excluded.updated_at",
        )
        .bind(fields.user_id)
        .bind(fields.bio)
        .bind(fields.capacity)
        .bind(fields.time_zone)
        .bind(fields.availability)
        .bind(fields.at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Changes what a coach offers, keeping their status.
pub async fn update_coach(tx: &mut Tx, fields: &CoachFields<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_profiles SET bio = $2, capacity = $3, time_zone = $4, availability = $5, updated_at = $6 \
             WHERE user_id = $1",
        )
        .bind(fields.user_id)
        .bind(fields.bio)
        .bind(fields.capacity)
        .bind(fields.time_zone)
        .bind(fields.availability)
        .bind(fields.at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn set_coach_skills(tx: &mut Tx, user_id: i64, skill_ids: &[i64]) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM coach_skills WHERE coach_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for skill in skill_ids {
            sqlx::query(
                "INSERT INTO coach_skills (coach_id, skill_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(user_id)
            .bind(skill)
            .execute(&mut *conn)
            .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

/// Moves a coach from `expected` to `status`; `false` when they were not in `expected`.
pub async fn set_coach_status(
    tx: &mut Tx,
    user_id: i64,
    expected: &str,
    status: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_profiles SET status = $3, updated_at = $4 WHERE user_id = $1 AND status = $2",
        )
        .bind(user_id)
        .bind(expected)
        .bind(status)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

/// Approves or declines a pending application; `false` when it was decided already.
pub async fn decide_application(
    tx: &mut Tx,
    user_id: i64,
    status: &str,
    by: i64,
    note: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE coach_profiles SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5, \
             updated_at = $5 WHERE user_id = $1 AND status = 'pending'",
        )
        .bind(user_id)
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

/// Pending applications, oldest person first, after the user id `after`.
pub async fn pending_applications(db: &Db, after: i64, limit: i64) -> Result<Vec<CoachRow>> {
    let sql = format!(
        "SELECT {COACH_COLUMNS} WHERE c.status = 'pending' AND c.user_id > $1 AND u.status = 'active' \
         ORDER BY c.user_id LIMIT $2"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Approved coaches whose name starts with `name` (lower case; empty for any) and who coach the
/// skill `skill_key` (empty for any), by name after `(after_name, after_id)`.
pub async fn search_coaches(
    db: &Db,
    name: &str,
    skill_key: &str,
    after: (&str, i64),
    limit: i64,
) -> Result<Vec<CoachRow>> {
    let sql = format!(
        "SELECT {COACH_COLUMNS} WHERE c.status = 'approved' AND u.status = 'active' \
         AND ($1 = '' OR substr(lower(u.display_name), 1, CAST($2 AS INTEGER)) = $1 \
              OR substr(lower(u.family_name), 1, CAST($2 AS INTEGER)) = $1) \
         AND ($3 = '' OR EXISTS (SELECT 1 FROM coach_skills cs JOIN skills s ON s.id = cs.skill_id \
              WHERE cs.coach_id = c.user_id AND s.name_key = $3)) \
         AND (u.display_name > $4 OR (u.display_name = $4 AND u.id > $5)) \
         ORDER BY u.display_name, u.id LIMIT $6"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .bind(i64::try_from(name.chars().count()).unwrap_or(0))
            .bind(skill_key)
            .bind(after.0)
            .bind(after.1)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Every approved coach (bounded), for the ranking of a request.
pub async fn approved_coaches(db: &Db, limit: i64) -> Result<Vec<CoachRow>> {
    let sql = format!(
        "SELECT {COACH_COLUMNS} WHERE c.status = 'approved' AND u.status = 'active' ORDER BY c.user_id LIMIT $1"
    );
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

/// Approved coaches of a skill.
pub async fn coaches_of_skill(db: &Db, skill_id: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT cs.coach_id FROM coach_skills cs JOIN coach_profiles c ON c.user_id = cs.coach_id \
             WHERE cs.skill_id = $1 AND c.status = 'approved' ORDER BY cs.coach_id LIMIT 500",
        )
        .bind(skill_id)
        .fetch_all(pool)
        .await
    })?)
}

/// `(coach id, skill name, skill key)` for the given coaches, by skill name.
pub async fn skills_of_coaches(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT cs.coach_id, s.name, s.name_key FROM coach_skills cs JOIN skills s ON s.id = cs.skill_id \
         WHERE cs.coach_id IN ({}) ORDER BY s.name_key",
        placeholders(1, ids.len())
    );
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?)
}

/// Sessions holding a place (proposed or scheduled) per coach, starting in `[from, to)`.
pub async fn booked_between(
    db: &Db,
    ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT coach_id, COUNT(*) FROM coach_sessions WHERE coach_id IN ({}) \
         AND starts_at >= $1 AND starts_at < $2 AND status IN ('proposed', 'scheduled') GROUP BY coach_id",
        placeholders(3, ids.len())
    );
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(from).bind(to);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?)
}

/// Inside the transaction that plans a session, so the capacity check and the insert agree.
pub async fn booked_in(
    tx: &mut Tx,
    coach_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM coach_sessions WHERE coach_id = $1 AND starts_at >= $2 AND starts_at < $3 \
             AND status IN ('proposed', 'scheduled')",
        )
        .bind(coach_id)
        .bind(from)
        .bind(to)
        .fetch_one(conn)
        .await
    })?)
}

#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct RatingSummary {
    pub coach_id: i64,
    pub ratings: i64,
    pub rating_total: i64,
    pub helped: i64,
}

/// The learners' ratings of the given coaches' sessions.
pub async fn rating_summaries(db: &Db, ids: &[i64]) -> Result<Vec<RatingSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // PostgreSQL sums BIGINT into NUMERIC: cast back.
    let sql = format!(
        "SELECT coach_id, COUNT(*) AS ratings, CAST(SUM(rating) AS BIGINT) AS rating_total, \
         CAST(SUM(CASE WHEN helped THEN 1 ELSE 0 END) AS BIGINT) AS helped \
         FROM coach_outcomes WHERE coach_id IN ({}) GROUP BY coach_id",
        placeholders(1, ids.len())
    );
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?)
}

/// Whether the person facilitates any space: facilitators may approve coaches.
pub async fn facilitates_a_space(db: &Db, user_id: i64) -> Result<bool> {
    let found: Option<i64> = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT space_id FROM space_members WHERE user_id = $1 AND role = 'facilitator' \
             AND status = 'active' LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(found.is_some())
}

// ---- requests ----

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

// ---- sessions ----

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
