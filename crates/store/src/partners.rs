//! Accountability partners: opt-ins, pairs and their members, goals, check-ins and replies,
//! reminders, requests for a new partner, weekly rounds, and the care signals they raise.
//! A scope is a cohort (`space_id`) or the organisation (`scope_key` 0).

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// The key of a scope: the cohort's space id, or 0 for the organisation.
pub fn scope_key(space_id: Option<i64>) -> i64 {
    space_id.unwrap_or(0)
}

// ---- opt-ins ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OptInRow {
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub focus: String,
    pub work_start: i64,
    pub work_end: i64,
    pub ask_again_user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct NewOptIn<'a> {
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub focus: &'a str,
    pub work_start: i64,
    pub work_end: i64,
    pub ask_again_user_id: Option<i64>,
    pub now: DateTime<Utc>,
}

/// Opts in, or changes what an opt-in says.
pub async fn put_opt_in(tx: &mut Tx, o: &NewOptIn<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO partner_opt_ins (user_id, space_id, scope_key, focus, work_start, work_end, \
             ask_again_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (scope_key, user_id) DO UPDATE SET focus = excluded.focus, \
             work_start = excluded.work_start, work_end = excluded.work_end, \
             ask_again_user_id = excluded.ask_again_user_id, updated_at = excluded.updated_at",
        )
        .bind(o.user_id)
        .bind(o.space_id)
        .bind(scope_key(o.space_id))
        .bind(o.focus)
        .bind(o.work_start)
        .bind(o.work_end)
        .bind(o.ask_again_user_id)
        .bind(o.now)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn delete_opt_in(tx: &mut Tx, user_id: i64, scope: i64) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM partner_opt_ins WHERE scope_key = $1 AND user_id = $2")
            .bind(scope)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done > 0)
}

const OPT_IN_COLUMNS: &str = "o.user_id, o.space_id, o.focus, o.work_start, o.work_end, \
     o.ask_again_user_id, o.created_at";

pub async fn opt_ins_of(db: &Db, user_id: i64) -> Result<Vec<OptInRow>> {
    let sql = format!(
        "SELECT {OPT_IN_COLUMNS} FROM partner_opt_ins o WHERE o.user_id = $1 ORDER BY o.scope_key"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)?)
}

/// An opted-in person still waiting for a partner in a scope, with what matching needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingRow {
    pub user_id: i64,
    pub display_name: String,
    pub focus: String,
    pub work_start: i64,
    pub work_end: i64,
    pub ask_again_user_id: Option<i64>,
    pub time_zone: String,
    pub opted_in_at: DateTime<Utc>,
}

/// Active people opted in to `scope` who have no active partnership there.
pub async fn waiting(db: &Db, scope: i64) -> Result<Vec<WaitingRow>> {
    const SQL: &str = "SELECT o.user_id, u.display_name, o.focus, o.work_start, o.work_end, \
         o.ask_again_user_id, u.time_zone, o.created_at AS opted_in_at \
         FROM partner_opt_ins o JOIN users u ON u.id = o.user_id \
         WHERE o.scope_key = $1 AND u.status = 'active' AND NOT EXISTS ( \
           SELECT 1 FROM partnership_members m \
           WHERE m.scope_key = $1 AND m.user_id = o.user_id AND m.active) \
         ORDER BY o.user_id";
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(scope)
        .fetch_all(pool)
        .await)?)
}

pub async fn count_opt_ins(db: &Db, scope: i64) -> Result<i64> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM partner_opt_ins WHERE scope_key = $1"
    )
    .bind(scope)
    .fetch_one(pool)
    .await)?)
}

/// (person, skill name) for everyone opted in to `scope`.
pub async fn opted_in_skills(db: &Db, scope: i64) -> Result<Vec<(i64, String)>> {
    const SQL: &str = "SELECT us.user_id, s.name FROM partner_opt_ins o \
         JOIN user_skills us ON us.user_id = o.user_id JOIN skills s ON s.id = us.skill_id \
         WHERE o.scope_key = $1 ORDER BY us.user_id, s.name_key";
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(scope)
        .fetch_all(pool)
        .await)?)
}

/// Every (person, manager) in the directory: reporting lines are walked in memory.
pub async fn reporting_lines(db: &Db) -> Result<Vec<(i64, i64)>> {
    const SQL: &str = "SELECT id, manager_id FROM users WHERE manager_id IS NOT NULL ORDER BY id";
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .fetch_all(pool)
        .await)?)
}

/// (person, former partner) for everyone opted in to `scope`, from partnerships anywhere.
pub async fn previous_partners(db: &Db, scope: i64) -> Result<Vec<(i64, i64)>> {
    const SQL: &str = "SELECT DISTINCT a.user_id, b.user_id FROM partner_opt_ins o \
         JOIN partnership_members a ON a.user_id = o.user_id \
         JOIN partnership_members b ON b.partnership_id = a.partnership_id AND b.user_id <> a.user_id \
         WHERE o.scope_key = $1 ORDER BY a.user_id, b.user_id";
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(scope)
        .fetch_all(pool)
        .await)?)
}

// ---- rounds ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub scope_key: i64,
    pub space_id: Option<i64>,
    pub weekly: bool,
    pub last_round_at: Option<DateTime<Utc>>,
}

pub async fn round(db: &Db, scope: i64) -> Result<Option<RoundRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT scope_key, space_id, weekly, last_round_at FROM partner_rounds WHERE scope_key = $1"
    )
    .bind(scope)
    .fetch_optional(pool)
    .await)?)
}

pub async fn set_weekly(tx: &mut Tx, space_id: Option<i64>, weekly: bool) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO partner_rounds (scope_key, space_id, weekly) VALUES ($1, $2, $3) \
             ON CONFLICT (scope_key) DO UPDATE SET weekly = excluded.weekly",
        )
        .bind(scope_key(space_id))
        .bind(space_id)
        .bind(weekly)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn mark_round(tx: &mut Tx, space_id: Option<i64>, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO partner_rounds (scope_key, space_id, weekly, last_round_at) VALUES ($1, $2, FALSE, $3) \
             ON CONFLICT (scope_key) DO UPDATE SET last_round_at = excluded.last_round_at",
        )
        .bind(scope_key(space_id))
        .bind(space_id)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Scopes whose weekly round is due (none yet, or the last one a week or more before `due`).
pub async fn due_rounds(db: &Db, due: DateTime<Utc>) -> Result<Vec<RoundRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT scope_key, space_id, weekly, last_round_at FROM partner_rounds \
         WHERE weekly AND (last_round_at IS NULL OR last_round_at <= $1) ORDER BY scope_key"
    )
    .bind(due)
    .fetch_all(pool)
    .await)?)
}

// ---- partnerships ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartnershipRow {
    pub id: i64,
    pub space_id: Option<i64>,
    pub scope_key: i64,
    pub status: String,
    pub check_in_weekday: i64,
    pub reasons: String,
    pub formed_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

const PARTNERSHIP_COLUMNS: &str = "p.id, p.space_id, p.scope_key, p.status, p.check_in_weekday, \
     p.reasons, p.formed_at, p.ended_at";

pub struct NewPartnership<'a> {
    pub space_id: Option<i64>,
    pub members: &'a [i64],
    pub check_in_weekday: i64,
    pub reasons: &'a str,
    pub formed_by: Option<i64>,
    pub now: DateTime<Utc>,
}

/// A new pair (or trio). Someone already in an active pair of this scope makes it a
/// [`StoreError::Conflict`](crate::StoreError) (the unique index on active memberships).
pub async fn insert_partnership(tx: &mut Tx, p: &NewPartnership<'_>) -> Result<i64> {
    let scope = scope_key(p.space_id);
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO partnerships (space_id, scope_key, status, check_in_weekday, reasons, formed_by, formed_at) \
             VALUES ($1, $2, 'active', $3, $4, $5, $6) RETURNING id",
        )
        .bind(p.space_id)
        .bind(scope)
        .bind(p.check_in_weekday)
        .bind(p.reasons)
        .bind(p.formed_by)
        .bind(p.now)
        .fetch_one(conn)
        .await
    })?;
    for user_id in p.members {
        with_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO partnership_members (partnership_id, user_id, scope_key, active) VALUES ($1, $2, $3, TRUE)",
            )
            .bind(id)
            .bind(user_id)
            .bind(scope)
            .execute(conn)
            .await
            .map(|_| ())
        })?;
    }
    Ok(id)
}

pub async fn partnership(db: &Db, id: i64) -> Result<Option<PartnershipRow>> {
    let sql = format!("SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p WHERE p.id = $1");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// The person's partnerships, active first, newest first.
pub async fn partnerships_of(db: &Db, user_id: i64) -> Result<Vec<PartnershipRow>> {
    let sql = format!(
        "SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p \
         JOIN partnership_members m ON m.partnership_id = p.id \
         WHERE m.user_id = $1 ORDER BY CASE WHEN p.status = 'active' THEN 0 ELSE 1 END, p.id DESC LIMIT 50"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)?)
}

/// Active partnerships of a scope, oldest first.
pub async fn active_in_scope(db: &Db, scope: i64) -> Result<Vec<PartnershipRow>> {
    let sql = format!(
        "SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p \
         WHERE p.scope_key = $1 AND p.status = 'active' ORDER BY p.id LIMIT 2000"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(scope)
    .fetch_all(pool)
    .await)?)
}

/// Active partnerships after `after_id`, a page at a time, for the periodic tending.
pub async fn active_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<PartnershipRow>> {
    let sql = format!(
        "SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p \
         WHERE p.status = 'active' AND p.id > $1 ORDER BY p.id LIMIT $2"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub partnership_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub time_zone: String,
}

const MEMBER_COLUMNS: &str = "SELECT m.partnership_id, m.user_id, u.display_name, u.time_zone \
     FROM partnership_members m JOIN users u ON u.id = m.user_id ";

pub async fn members(db: &Db, partnership_id: i64) -> Result<Vec<MemberRow>> {
    let sql = format!("{MEMBER_COLUMNS} WHERE m.partnership_id = $1 ORDER BY m.user_id");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(partnership_id)
    .fetch_all(pool)
    .await)?)
}

/// The members of every partnership the person is or was in.
pub async fn members_with(db: &Db, user_id: i64) -> Result<Vec<MemberRow>> {
    let sql = format!(
        "{MEMBER_COLUMNS} JOIN partnership_members mine ON mine.partnership_id = m.partnership_id \
         WHERE mine.user_id = $1 ORDER BY m.partnership_id, m.user_id"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)?)
}

/// The members of the active partnerships of a scope.
pub async fn members_in_scope(db: &Db, scope: i64) -> Result<Vec<MemberRow>> {
    let sql = format!(
        "{MEMBER_COLUMNS} JOIN partnerships p ON p.id = m.partnership_id \
         WHERE p.scope_key = $1 AND p.status = 'active' ORDER BY m.partnership_id, m.user_id"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(scope)
    .fetch_all(pool)
    .await)?)
}

/// The members of active partnerships with ids in [from, to] (a page of the tending).
pub async fn members_between(db: &Db, from: i64, to: i64) -> Result<Vec<MemberRow>> {
    let sql = format!(
        "{MEMBER_COLUMNS} JOIN partnerships p ON p.id = m.partnership_id \
         WHERE p.id BETWEEN $1 AND $2 AND p.status = 'active' ORDER BY m.partnership_id, m.user_id"
    );
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?)
}

/// (partnership, person, week) of check-ins in active partnerships with ids in [from, to] since
/// `since`.
pub async fn check_in_weeks_between(
    db: &Db,
    from: i64,
    to: i64,
    since: NaiveDate,
) -> Result<Vec<(i64, i64, NaiveDate)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT partnership_id, user_id, period FROM check_ins \
         WHERE partnership_id BETWEEN $1 AND $2 AND period >= $3 ORDER BY period"
    )
    .bind(from)
    .bind(to)
    .bind(since)
    .fetch_all(pool)
    .await)?)
}

pub async fn is_member(db: &Db, partnership_id: i64, user_id: i64) -> Result<bool> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM partnership_members WHERE partnership_id = $1 AND user_id = $2)"
    )
    .bind(partnership_id)
    .bind(user_id)
    .fetch_one(pool)
    .await
    })?)
}

/// Ends an active partnership; false when it had ended already.
pub async fn end_partnership(
    tx: &mut Tx,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE partnerships SET status = 'ended', ended_at = $2, end_reason = $3 \
             WHERE id = $1 AND status = 'active'",
        )
        .bind(id)
        .bind(now)
        .bind(reason)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE partnership_members SET active = FALSE WHERE partnership_id = $1")
            .bind(id)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(done == 1)
}

pub async fn set_weekday(tx: &mut Tx, id: i64, weekday: i64) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE partnerships SET check_in_weekday = $2 WHERE id = $1")
            .bind(id)
            .bind(weekday)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

// ---- goals ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GoalRow {
    pub id: i64,
    pub user_id: i64,
    pub what: String,
    pub by_when: NaiveDate,
    pub how_known: String,
    pub status: String,
}

pub struct NewGoal<'a> {
    pub partnership_id: i64,
    pub user_id: i64,
    pub what: &'a str,
    pub by_when: NaiveDate,
    pub how_known: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn count_open_goals(tx: &mut Tx, partnership_id: i64, user_id: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM partner_goals WHERE partnership_id = $1 AND user_id = $2 AND status = 'open'"
    )
    .bind(partnership_id)
    .bind(user_id)
    .fetch_one(conn)
    .await
    })?)
}

pub async fn insert_goal(tx: &mut Tx, g: &NewGoal<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO partner_goals (partnership_id, user_id, what, by_when, how_known, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id"
    )
    .bind(g.partnership_id)
    .bind(g.user_id)
    .bind(g.what)
    .bind(g.by_when)
    .bind(g.how_known)
    .bind(g.now)
    .fetch_one(conn)
    .await
    })?)
}

/// Marks one of the person's own goals; false when it is not theirs in this partnership.
pub async fn set_goal_status(
    tx: &mut Tx,
    partnership_id: i64,
    user_id: i64,
    goal_id: i64,
    status: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE partner_goals SET status = $4, updated_at = $5 \
             WHERE id = $1 AND partnership_id = $2 AND user_id = $3",
        )
        .bind(goal_id)
        .bind(partnership_id)
        .bind(user_id)
        .bind(status)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn goals(db: &Db, partnership_id: i64) -> Result<Vec<GoalRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT id, user_id, what, by_when, how_known, status FROM partner_goals \
         WHERE partnership_id = $1 ORDER BY user_id, id"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await)?)
}

// ---- check-ins ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckInRow {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub period: NaiveDate,
    pub progress: i64,
    pub did: String,
    pub blockers: String,
    pub next_step: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewCheckIn<'a> {
    pub partnership_id: i64,
    pub user_id: i64,
    pub period: NaiveDate,
    pub progress: i64,
    pub did: &'a str,
    pub blockers: &'a str,
    pub next_step: &'a str,
    pub now: DateTime<Utc>,
}

/// One per person per week: a second one is a [`StoreError::Conflict`](crate::StoreError).
pub async fn insert_check_in(tx: &mut Tx, c: &NewCheckIn<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO check_ins (partnership_id, user_id, period, progress, did, blockers, next_step, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(c.partnership_id)
    .bind(c.user_id)
    .bind(c.period)
    .bind(c.progress)
    .bind(c.did)
    .bind(c.blockers)
    .bind(c.next_step)
    .bind(c.now)
    .fetch_one(conn)
    .await
    })?)
}

/// Check-ins of a partnership, newest first, before the cursor id.
pub async fn check_ins(
    db: &Db,
    partnership_id: i64,
    before_id: i64,
    limit: i64,
) -> Result<Vec<CheckInRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
        "SELECT c.id, c.user_id, u.display_name, c.period, c.progress, c.did, c.blockers, c.next_step, c.created_at \
         FROM check_ins c JOIN users u ON u.id = c.user_id \
         WHERE c.partnership_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3"
    )
    .bind(partnership_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(pool)
    .await
    })?)
}

/// The partnership a check-in belongs to.
pub async fn check_in_partnership(db: &Db, check_in_id: i64) -> Result<Option<(i64, i64)>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT partnership_id, user_id FROM check_ins WHERE id = $1"
    )
    .bind(check_in_id)
    .fetch_optional(pool)
    .await)?)
}

/// (person, week) of every check-in in the partnerships of a scope since `since` — dates only,
/// which is all a facilitator's health view reads. `scope` None takes one partnership.
pub async fn check_in_weeks(
    db: &Db,
    partnership_id: Option<i64>,
    scope: i64,
    since: NaiveDate,
) -> Result<Vec<(i64, i64, NaiveDate)>> {
    Ok(match partnership_id {
        Some(id) => with_db!(db, |pool| sqlx::query_as(
            "SELECT partnership_id, user_id, period FROM check_ins \
             WHERE partnership_id = $1 AND period >= $2 ORDER BY period"
        )
        .bind(id)
        .bind(since)
        .fetch_all(pool)
        .await)?,
        None => with_db!(db, |pool| sqlx::query_as(
            "SELECT c.partnership_id, c.user_id, c.period FROM check_ins c \
             JOIN partnerships p ON p.id = c.partnership_id \
             WHERE p.scope_key = $1 AND p.status = 'active' AND c.period >= $2 ORDER BY c.period"
        )
        .bind(scope)
        .bind(since)
        .fetch_all(pool)
        .await)?,
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub check_in_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_reply(
    tx: &mut Tx,
    check_in_id: i64,
    user_id: i64,
    kind: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO check_in_replies (check_in_id, user_id, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(check_in_id)
    .bind(user_id)
    .bind(kind)
    .bind(body)
    .bind(now)
    .fetch_one(conn)
    .await)?)
}

/// Replies to the check-ins of a partnership from `from_check_in` on (the page shown).
pub async fn replies(db: &Db, partnership_id: i64, from_check_in: i64) -> Result<Vec<ReplyRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
        "SELECT r.id, r.check_in_id, r.user_id, u.display_name, r.kind, r.body, r.created_at \
         FROM check_in_replies r JOIN check_ins c ON c.id = r.check_in_id JOIN users u ON u.id = r.user_id \
         WHERE c.partnership_id = $1 AND r.check_in_id >= $2 ORDER BY r.id LIMIT 1000"
    )
    .bind(partnership_id)
    .bind(from_check_in)
    .fetch_all(pool)
    .await
    })?)
}

/// Records a reminder; false when this person was reminded this week already.
pub async fn note_reminder(
    tx: &mut Tx,
    partnership_id: i64,
    user_id: i64,
    period: NaiveDate,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO check_in_reminders (partnership_id, user_id, period) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(partnership_id)
        .bind(user_id)
        .bind(period)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

// ---- requests for a new partner ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRequestRow {
    pub id: i64,
    pub partnership_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_change_request(
    tx: &mut Tx,
    partnership_id: i64,
    user_id: i64,
    scope: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO partner_change_requests (partnership_id, user_id, scope_key, reason, status, created_at) \
         VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id"
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(scope)
    .bind(reason)
    .bind(now)
    .fetch_one(conn)
    .await
    })?)
}

pub async fn open_change_requests(db: &Db, scope: i64) -> Result<Vec<ChangeRequestRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(
        "SELECT r.id, r.partnership_id, r.user_id, u.display_name, r.reason, r.created_at \
         FROM partner_change_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.scope_key = $1 AND r.status = 'open' ORDER BY r.id LIMIT 500"
    )
    .bind(scope)
    .fetch_all(pool)
    .await)?)
}

pub async fn has_open_change_request(db: &Db, partnership_id: i64, user_id: i64) -> Result<bool> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM partner_change_requests \
         WHERE partnership_id = $1 AND user_id = $2 AND status = 'open')"
    )
    .bind(partnership_id)
    .bind(user_id)
    .fetch_one(pool)
    .await)?)
}

/// Closes the open requests about a partnership (it ended, so they are answered).
pub async fn close_change_requests(
    tx: &mut Tx,
    partnership_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE partner_change_requests SET status = 'done', resolved_at = $2, resolved_by = $3 \
             WHERE partnership_id = $1 AND status = 'open'",
        )
        .bind(partnership_id)
        .bind(now)
        .bind(by)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Who hears about requests for a new partner in a cohort: its active facilitators.
pub async fn facilitators(db: &Db, space_id: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| sqlx::query_scalar(
        "SELECT user_id FROM space_members WHERE space_id = $1 AND role = 'facilitator' \
         AND status = 'active' ORDER BY user_id"
    )
    .bind(space_id)
    .fetch_all(pool)
    .await)?)
}
