//! The people network: follows, endorsements, and the evidence queries behind "who knows about
//! X" (also used by the coach ranking). Every list is read newest first with an id cursor.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use guildhall_domain::threads::ReactionKind;

/// A person in a followers/following list; `link_id` is the follow's id (the page cursor).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonLinkRow {
    pub link_id: i64,
    pub id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_sha256: Option<String>,
    pub since: DateTime<Utc>,
}

/// Records a follow; `false` when it existed already.
pub async fn follow(tx: &mut Tx, follower: i64, followed: i64, at: DateTime<Utc>) -> Result<bool> {
    let id: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO follows (follower_id, followed_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (follower_id, followed_id) DO NOTHING RETURNING id",
        )
        .bind(follower)
        .bind(followed)
        .bind(at)
        .fetch_optional(conn)
        .await
    })?;
    Ok(id.is_some())
}

/// `false` when there was no follow.
pub async fn unfollow(db: &Db, follower: i64, followed: i64) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2")
            .bind(follower)
            .bind(followed)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn is_following(db: &Db, follower: i64, followed: i64) -> Result<bool> {
    let found: Option<i64> = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM follows WHERE follower_id = $1 AND followed_id = $2")
            .bind(follower)
            .bind(followed)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// Followers and following of a person who are active members.
pub async fn follow_counts(db: &Db, person: i64) -> Result<(i64, i64)> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id \
                 WHERE f.followed_id = $1 AND u.status = 'active'), \
               (SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.followed_id \
                 WHERE f.follower_id = $1 AND u.status = 'active')",
        )
        .bind(person)
        .fetch_one(pool)
        .await
    })?)
}

/// Which way a follow list reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Who follows the person.
    Followers,
    /// Whom the person follows.
    Following,
}

/// Followers or following of `person` who are active, newest first, before the follow id
/// `before`.
pub async fn follow_list(
    db: &Db,
    person: i64,
    direction: Direction,
    before: i64,
    limit: i64,
) -> Result<Vec<PersonLinkRow>> {
    let (other, mine) = match direction {
        Direction::Followers => ("f.follower_id", "f.followed_id"),
        Direction::Following => ("f.followed_id", "f.follower_id"),
    };
    let sql = format!(
        "SELECT f.id AS link_id, u.id, u.display_name, u.title, u.department, u.photo_sha256, f.created_at AS since \
         FROM follows f JOIN users u ON u.id = {other} \
         WHERE {mine} = $1 AND f.id < $2 AND u.status = 'active' ORDER BY f.id DESC LIMIT $3"
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

// ---- endorsements ----

pub struct NewEndorsement<'a> {
    pub person_id: i64,
    pub endorser_id: i64,
    pub skill_id: i64,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// A live endorsement by the same endorser for the same skill is a [`crate::StoreError::Conflict`].
pub async fn insert_endorsement(tx: &mut Tx, e: &NewEndorsement<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO endorsements (person_id, endorser_id, skill_id, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(e.person_id)
        .bind(e.endorser_id)
        .bind(e.skill_id)
        .bind(e.reason)
        .bind(e.at)
        .fetch_one(conn)
        .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndorsementRow {
    pub id: i64,
    pub person_id: i64,
    pub endorser_id: i64,
    pub endorser_name: String,
    pub skill_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

const ENDORSEMENT_COLUMNS: &str = "e.id, e.person_id, e.endorser_id, u.display_name AS endorser_name, \
     s.name AS skill_name, e.reason, e.created_at \
     FROM endorsements e JOIN users u ON u.id = e.endorser_id JOIN skills s ON s.id = e.skill_id";

pub async fn endorsement(db: &Db, id: i64) -> Result<Option<EndorsementRow>> {
    let sql = format!("SELECT {ENDORSEMENT_COLUMNS} WHERE e.id = $1 AND e.withdrawn_at IS NULL");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Live endorsements of a person by active members, newest first, before the id `before`.
pub async fn endorsements_of(
    db: &Db,
    person: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<EndorsementRow>> {
    let sql = format!(
        "SELECT {ENDORSEMENT_COLUMNS} WHERE e.person_id = $1 AND e.id < $2 AND e.withdrawn_at IS NULL \
         AND u.status = 'active' ORDER BY e.id DESC LIMIT $3"
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

/// Withdraws the endorser's own endorsement; `false` when there is none to withdraw.
pub async fn withdraw_endorsement(
    db: &Db,
    id: i64,
    endorser: i64,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE endorsements SET withdrawn_at = $3 \
             WHERE id = $1 AND endorser_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(id)
        .bind(endorser)
        .bind(at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SkillCountRow {
    pub skill_name: String,
    pub skill_key: String,
    pub count: i64,
}

/// What a person can help with: the skills on their profile and the skills they are endorsed
/// for, each with its live endorsements by active members (most endorsed first).
pub async fn skills_with_endorsements(db: &Db, person: i64) -> Result<Vec<SkillCountRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.name AS skill_name, s.name_key AS skill_key, \
               (SELECT COUNT(*) FROM endorsements e JOIN users u ON u.id = e.endorser_id \
                 WHERE e.person_id = $1 AND e.skill_id = s.id AND e.withdrawn_at IS NULL AND u.status = 'active') AS count \
             FROM skills s WHERE s.id IN (SELECT skill_id FROM user_skills WHERE user_id = $1) \
                OR s.id IN (SELECT skill_id FROM endorsements WHERE person_id = $1 AND withdrawn_at IS NULL) \
             ORDER BY count DESC, s.name_key LIMIT 100",
        )
        .bind(person)
        .fetch_all(pool)
        .await
    })?)
}

// ---- evidence for "who knows about X" and the coach ranking ----

/// `$first, $first+1, …` for `n` bound values: the SQL text depends only on a count, never on
/// what a person typed.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Active people who list the skill on their profile.
pub async fn people_listing(db: &Db, skill_id: i64, limit: i64) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT us.user_id FROM user_skills us JOIN users u ON u.id = us.user_id \
             WHERE us.skill_id = $1 AND u.status = 'active' ORDER BY us.user_id LIMIT $2",
        )
        .bind(skill_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Live endorsements for the skill by active members, counted per endorsed person.
pub async fn endorsement_counts(db: &Db, skill_id: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT e.person_id, COUNT(*) FROM endorsements e JOIN users u ON u.id = e.endorser_id \
             WHERE e.skill_id = $1 AND e.withdrawn_at IS NULL AND u.status = 'active' \
             GROUP BY e.person_id ORDER BY COUNT(*) DESC, e.person_id LIMIT $2",
        )
        .bind(skill_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Accepted answers in the given threads, counted per author (visible answers only).
pub async fn accepted_answers_in(db: &Db, thread_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.author_id, COUNT(*) FROM threads t JOIN posts p ON p.id = t.accepted_post_id \
         WHERE t.id IN ({}) AND t.deleted_at IS NULL AND t.hidden_at IS NULL \
         AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND p.author_id IS NOT NULL \
         GROUP BY p.author_id",
        placeholders(1, thread_ids.len())
    );
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in thread_ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?)
}

/// "Helpful" reactions from others on posts in the given threads, counted per post author.
pub async fn helpful_reactions_in(db: &Db, thread_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.author_id, COUNT(*) FROM posts p JOIN reactions r ON r.post_id = p.id \
         WHERE p.thread_id IN ({}) AND r.kind = '{helpful}' AND r.user_id <> p.author_id \
         AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND p.author_id IS NOT NULL \
         GROUP BY p.author_id",
        placeholders(1, thread_ids.len()),
        helpful = ReactionKind::Helpful.as_str()
    );
    Ok(with_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in thread_ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?)
}

/// Accepted answers and "helpful" reactions from others per person, everywhere: the evidence
/// of coaches when a request names no skill. `(person, answers, helpful)`.
pub async fn help_totals(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let answers_sql = format!(
        "SELECT p.author_id, COUNT(*) FROM posts p \
         JOIN threads t ON t.id = p.thread_id AND t.accepted_post_id = p.id \
         WHERE p.author_id IN ({list}) AND p.deleted_at IS NULL AND p.hidden_at IS NULL \
         AND t.deleted_at IS NULL AND t.hidden_at IS NULL GROUP BY p.author_id"
    );
    let helpful_sql = format!(
        "SELECT p.author_id, COUNT(*) FROM posts p JOIN reactions r ON r.post_id = p.id \
         WHERE p.author_id IN ({list}) AND r.kind = '{helpful}' AND r.user_id <> p.author_id \
         AND p.deleted_at IS NULL AND p.hidden_at IS NULL GROUP BY p.author_id",
        helpful = ReactionKind::Helpful.as_str()
    );
    let mut totals: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    for (sql, helpful) in [(answers_sql, false), (helpful_sql, true)] {
        let rows: Vec<(i64, i64)> = with_db!(db, |pool| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        for (person, count) in rows {
            let entry = totals.entry(person).or_default();
            if helpful {
                entry.1 = count;
            } else {
                entry.0 = count;
            }
        }
    }
    Ok(totals
        .into_iter()
        .map(|(person, (answers, helpful))| (person, answers, helpful))
        .collect())
}

/// Live endorsements of the given coaches for the skills they coach, per coach.
pub async fn endorsements_for_coached_skills(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT e.person_id, COUNT(*) FROM endorsements e \
         JOIN coach_skills cs ON cs.coach_id = e.person_id AND cs.skill_id = e.skill_id \
         JOIN users u ON u.id = e.endorser_id \
         WHERE e.person_id IN ({}) AND e.withdrawn_at IS NULL AND u.status = 'active' GROUP BY e.person_id",
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

/// Directory cards of the given people (active only), in no particular order.
pub async fn people_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<crate::profiles::DirectoryRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT u.id, u.display_name, u.name_source, u.title, u.department, u.location, u.photo_sha256 \
         FROM users u WHERE u.status = 'active' AND u.id IN ({})",
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

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_count_from_the_first() {
        assert_eq!(super::placeholders(2, 3), "$2, $3, $4");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
