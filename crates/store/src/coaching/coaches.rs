//! Coach profiles (an application until approved), the skills they coach, and what the
//! rankings read about them: sessions booked in a month and their learners' ratings.

use crate::network::placeholders;
use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

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
    crate::profiles::replace_skill_links(
        tx,
        "DELETE FROM coach_skills WHERE coach_id = $1",
        "INSERT INTO coach_skills (coach_id, skill_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        user_id,
        skill_ids,
    )
    .await
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
