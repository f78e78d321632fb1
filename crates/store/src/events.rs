//! Events, RSVPs, attendance and follow-up prompts.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

pub struct NewEvent<'a> {
    pub space_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: &'a str,
    pub location: &'a str,
    pub video_url: Option<&'a str>,
    pub capacity: Option<i64>,
    pub created_by: i64,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub space_id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub location: String,
    pub video_url: Option<String>,
    pub capacity: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub going: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RsvpRow {
    pub user_id: i64,
    pub display_name: String,
    pub going: bool,
    pub attended: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromptRow {
    pub id: i64,
    pub event_id: i64,
    pub day_offset: i64,
    pub body: String,
    pub thread_id: Option<i64>,
    pub posted_at: Option<DateTime<Utc>>,
}

macro_rules! event_query {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.space_id, s.slug AS space_slug, s.name AS space_name, e.title, e.description, e.starts_at, e.ends_at, \
             e.time_zone, e.location, e.video_url, e.capacity, e.created_by, e.created_at, \
             (SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = e.id AND r.going) AS going \
             FROM events e JOIN spaces s ON s.id = e.space_id ",
            $rest
        )
    };
}

pub async fn insert_event(tx: &mut Tx, event: &NewEvent<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO events (space_id, title, description, starts_at, ends_at, time_zone, location, video_url, capacity, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(event.space_id)
        .bind(event.title)
        .bind(event.description)
        .bind(event.starts_at)
        .bind(event.ends_at)
        .bind(event.time_zone)
        .bind(event.location)
        .bind(event.video_url)
        .bind(event.capacity)
        .bind(event.created_by)
        .bind(event.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn event(db: &Db, id: i64) -> Result<Option<EventRow>> {
    const SQL: &str = event_query!("WHERE e.id = $1 AND e.cancelled_at IS NULL");
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// A space's events that end after `from`, soonest first.
pub async fn upcoming_in_space(
    db: &Db,
    space_id: i64,
    from: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<EventRow>> {
    const SQL: &str = event_query!(
        "WHERE e.space_id = $1 AND e.cancelled_at IS NULL AND e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT $3"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(space_id)
        .bind(from)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// A space's events that ended before `until`, latest first.
pub async fn past_in_space(
    db: &Db,
    space_id: i64,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<EventRow>> {
    const SQL: &str = event_query!(
        "WHERE e.space_id = $1 AND e.cancelled_at IS NULL AND e.ends_at <= $2 ORDER BY e.starts_at DESC, e.id DESC LIMIT $3"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(space_id)
        .bind(until)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// Events of every space a person belongs to, from `from` on (their calendar).
pub async fn for_member(
    db: &Db,
    user_id: i64,
    from: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<EventRow>> {
    const SQL: &str = event_query!(
        "JOIN space_members m ON m.space_id = e.space_id AND m.user_id = $1 AND m.status = 'active' \
         WHERE e.cancelled_at IS NULL AND e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT $3"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(user_id)
        .bind(from)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// Says whether a person comes, keeping attendance already marked.
pub async fn put_rsvp(
    tx: &mut Tx,
    event_id: i64,
    user_id: i64,
    going: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO event_rsvps (event_id, user_id, going, attended, updated_at) VALUES ($1, $2, $3, FALSE, $4) \
             ON CONFLICT (event_id, user_id) DO UPDATE SET going = excluded.going, updated_at = excluded.updated_at",
        )
        .bind(event_id)
        .bind(user_id)
        .bind(going)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Takes the event's row lock for the rest of the transaction, so that seats are counted and
/// taken by one answer at a time (PostgreSQL reads committed rows; SQLite has one writer anyway).
pub async fn lock_seats(tx: &mut Tx, event_id: i64) -> Result<()> {
    with_tx!(tx, |conn| sqlx::query(
        "UPDATE events SET capacity = capacity WHERE id = $1"
    )
    .bind(event_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn is_going(tx: &mut Tx, event_id: i64, user_id: i64) -> Result<bool> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM event_rsvps WHERE event_id = $1 AND user_id = $2 AND going)",
        )
        .bind(event_id)
        .bind(user_id)
        .fetch_one(conn)
        .await
    })?)
}

/// Seats taken, counted inside the transaction that is about to take one.
pub async fn going_count(tx: &mut Tx, event_id: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM event_rsvps WHERE event_id = $1 AND going")
            .bind(event_id)
            .fetch_one(conn)
            .await
    })?)
}

pub async fn set_attended(
    tx: &mut Tx,
    event_id: i64,
    user_id: i64,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO event_rsvps (event_id, user_id, going, attended, updated_at) VALUES ($1, $2, FALSE, $3, $4) \
             ON CONFLICT (event_id, user_id) DO UPDATE SET attended = excluded.attended, updated_at = excluded.updated_at",
        )
        .bind(event_id)
        .bind(user_id)
        .bind(attended)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn rsvps(db: &Db, event_id: i64) -> Result<Vec<RsvpRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.user_id, u.display_name, r.going, r.attended FROM event_rsvps r JOIN users u ON u.id = r.user_id \
             WHERE r.event_id = $1 ORDER BY u.display_name, r.user_id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn insert_prompt(tx: &mut Tx, event_id: i64, day_offset: i64, body: &str) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("INSERT INTO event_prompts (event_id, day_offset, body) VALUES ($1, $2, $3) RETURNING id")
            .bind(event_id)
            .bind(day_offset)
            .bind(body)
            .fetch_one(conn)
            .await
    })?)
}

pub async fn prompts(db: &Db, event_id: i64) -> Result<Vec<PromptRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, event_id, day_offset, body, thread_id, posted_at FROM event_prompts WHERE event_id = $1 ORDER BY day_offset")
            .bind(event_id)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn prompt(db: &Db, id: i64) -> Result<Option<PromptRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, event_id, day_offset, body, thread_id, posted_at FROM event_prompts WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Changes a prompt's text while it has not been posted; `false` once it has.
pub async fn update_prompt(db: &Db, id: i64, event_id: i64, body: &str) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("UPDATE event_prompts SET body = $1 WHERE id = $2 AND event_id = $3 AND posted_at IS NULL")
            .bind(body)
            .bind(id)
            .bind(event_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Records that a prompt was posted; `false` when another worker posted it first.
pub async fn mark_prompt_posted(
    tx: &mut Tx,
    id: i64,
    thread_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("UPDATE event_prompts SET thread_id = $1, posted_at = $2 WHERE id = $3 AND posted_at IS NULL")
            .bind(thread_id)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}
