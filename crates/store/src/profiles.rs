//! Profiles, professional names (their history and change requests), the shared skills
//! vocabulary and the people directory.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub preferred_given_name: String,
    pub display_name: String,
    pub name_source: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub time_zone: String,
    pub bio: String,
    pub languages: String,
    pub interests: String,
    pub photo_sha256: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

const PROFILE_COLUMNS: &str = "id, given_name, family_name, preferred_given_name, display_name, name_source, \
     title, department, location, time_zone, bio, languages, interests, photo_sha256, status, created_at FROM users";

pub async fn profile(db: &Db, id: i64) -> Result<Option<ProfileRow>> {
    let sql = format!("SELECT {PROFILE_COLUMNS} WHERE id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

pub struct ProfileFields<'a> {
    pub title: &'a str,
    pub department: &'a str,
    pub location: &'a str,
    pub time_zone: &'a str,
    pub bio: &'a str,
    pub languages: &'a str,
    pub interests: &'a str,
}

pub async fn update_profile(
    tx: &mut Tx,
    id: i64,
    fields: &ProfileFields<'_>,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET title = $2, department = $3, location = $4, time_zone = $5, bio = $6, \
             languages = $7, interests = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(fields.title)
        .bind(fields.department)
        .bind(fields.location)
        .bind(fields.time_zone)
        .bind(fields.bio)
        .bind(fields.languages)
        .bind(fields.interests)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn set_photo(db: &Db, id: i64, sha256: Option<&str>, at: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE users SET photo_sha256 = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(sha256)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// The skill's id, adding it to the shared vocabulary when it is new.
pub async fn skill_id(tx: &mut Tx, name: &str, key: &str, at: DateTime<Utc>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO skills (name, name_key, created_at) VALUES ($1, $2, $3) ON CONFLICT (name_key) DO NOTHING",
        )
        .bind(name)
        .bind(key)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query_scalar("SELECT id FROM skills WHERE name_key = $1")
            .bind(key)
            .fetch_one(conn)
            .await
    })?)
}

/// A skill of the vocabulary by its key: `(id, name)`.
pub async fn skill_by_key(db: &Db, key: &str) -> Result<Option<(i64, String)>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, name FROM skills WHERE name_key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn set_skills(tx: &mut Tx, user_id: i64, skill_ids: &[i64]) -> Result<()> {
    replace_skill_links(
        tx,
        "DELETE FROM user_skills WHERE user_id = $1",
        "INSERT INTO user_skills (user_id, skill_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        user_id,
        skill_ids,
    )
    .await
}

/// Makes `skill_ids` exactly the skills linked to `owner` (a person's profile, a coach): the
/// two statements name the link table, `$1` the owner and `$2` the skill.
pub(crate) async fn replace_skill_links(
    tx: &mut Tx,
    delete: &'static str,
    insert: &'static str,
    owner: i64,
    skill_ids: &[i64],
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(delete).bind(owner).execute(&mut *conn).await?;
        for skill in skill_ids {
            sqlx::query(insert)
                .bind(owner)
                .bind(skill)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

pub async fn skills_of(db: &Db, user_id: i64) -> Result<Vec<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT s.name FROM user_skills us JOIN skills s ON s.id = us.skill_id \
             WHERE us.user_id = $1 ORDER BY s.name_key",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}

/// Skills whose key starts with `prefix` (already a key), most used first: autocomplete.
pub async fn skills_starting_with(db: &Db, prefix: &str, limit: i64) -> Result<Vec<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT s.name FROM skills s LEFT JOIN user_skills us ON us.skill_id = s.id \
             WHERE substr(s.name_key, 1, CAST($1 AS INTEGER)) = $2 \
             GROUP BY s.id, s.name, s.name_key ORDER BY COUNT(us.user_id) DESC, s.name_key LIMIT $3",
        )
        .bind(i64::try_from(prefix.chars().count()).unwrap_or(0))
        .bind(prefix)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Directory filters; empty strings mean "any". `query` matches names (as a lower-case prefix of
/// the display name or the family name); the others match exactly, ignoring case.
pub struct DirectoryFilter<'a> {
    pub query: &'a str,
    pub skill_key: &'a str,
    pub department: &'a str,
    pub location: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryRow {
    pub id: i64,
    pub display_name: String,
    pub name_source: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub photo_sha256: Option<String>,
}

/// Active people by name, after `after_name`/`after_id` (keyset on the display name).
pub async fn directory(
    db: &Db,
    filter: &DirectoryFilter<'_>,
    after: (&str, i64),
    limit: i64,
) -> Result<Vec<DirectoryRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.id, u.display_name, u.name_source, u.title, u.department, u.location, u.photo_sha256 \
             FROM users u WHERE u.status = 'active' \
             AND ($1 = '' OR substr(lower(u.display_name), 1, CAST($2 AS INTEGER)) = $1 \
                  OR substr(lower(u.family_name), 1, CAST($2 AS INTEGER)) = $1) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM user_skills us JOIN skills s ON s.id = us.skill_id \
                  WHERE us.user_id = u.id AND s.name_key = $3)) \
             AND ($4 = '' OR lower(u.department) = $4) \
             AND ($5 = '' OR lower(u.location) = $5) \
             AND (u.display_name > $6 OR (u.display_name = $6 AND u.id > $7)) \
             ORDER BY u.display_name, u.id LIMIT $8",
        )
        .bind(filter.query)
        .bind(i64::try_from(filter.query.chars().count()).unwrap_or(0))
        .bind(filter.skill_key)
        .bind(filter.department)
        .bind(filter.location)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Departments and locations people use, for the directory's filters.
pub async fn facets(db: &Db) -> Result<(Vec<String>, Vec<String>)> {
    let departments = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT DISTINCT department FROM users WHERE status = 'active' AND department <> '' ORDER BY department LIMIT 200",
        )
        .fetch_all(pool)
        .await
    })?;
    let locations = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT DISTINCT location FROM users WHERE status = 'active' AND location <> '' ORDER BY location LIMIT 200",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok((departments, locations))
}

pub struct Rename<'a> {
    pub user_id: i64,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub preferred_given_name: &'a str,
    pub display_name: &'a str,
    /// self, directory or idp.
    pub source: &'a str,
    pub changed_by: Option<i64>,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// Changes a person's name and records the change in the name history.
pub async fn rename(tx: &mut Tx, rename: &Rename<'_>) -> Result<()> {
    let old: String = with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
            .bind(rename.user_id)
            .fetch_one(conn)
            .await
    })?;
    with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET given_name = $2, family_name = $3, preferred_given_name = $4, display_name = $5, \
             name_source = $6, updated_at = $7 WHERE id = $1",
        )
        .bind(rename.user_id)
        .bind(rename.given_name)
        .bind(rename.family_name)
        .bind(rename.preferred_given_name)
        .bind(rename.display_name)
        .bind(rename.source)
        .bind(rename.at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    if old != rename.display_name {
        insert_name_history(
            tx,
            &NameChange {
                user_id: rename.user_id,
                old_name: &old,
                new_name: rename.display_name,
                source: rename.source,
                changed_by: rename.changed_by,
                reason: rename.reason,
                at: rename.at,
            },
        )
        .await?;
    }
    Ok(())
}

pub struct NameChange<'a> {
    pub user_id: i64,
    pub old_name: &'a str,
    pub new_name: &'a str,
    /// self, directory or idp.
    pub source: &'a str,
    pub changed_by: Option<i64>,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// The one writer of the name history: name requests, the directory and identity providers.
pub async fn insert_name_history(tx: &mut Tx, change: &NameChange<'_>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO name_history (user_id, old_name, new_name, source, changed_by, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(change.user_id)
        .bind(change.old_name)
        .bind(change.new_name)
        .bind(change.source)
        .bind(change.changed_by)
        .bind(change.reason)
        .bind(change.at)
        .execute(conn)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NameHistoryRow {
    pub id: i64,
    pub user_id: i64,
    pub old_name: String,
    pub new_name: String,
    pub source: String,
    pub changed_by_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Name changes whose old or new name contains `query` (lower case; ASCII case is ignored),
/// newest first.
pub async fn name_history(db: &Db, query: &str, limit: i64) -> Result<Vec<NameHistoryRow>> {
    let escaped: String = query
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    let pattern = format!("%{escaped}%");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT h.id, h.user_id, h.old_name, h.new_name, h.source, u.display_name AS changed_by_name, \
             h.reason, h.created_at FROM name_history h LEFT JOIN users u ON u.id = h.changed_by \
             WHERE lower(h.old_name) LIKE $1 ESCAPE '\\' OR lower(h.new_name) LIKE $1 ESCAPE '\\' \
             ORDER BY h.id DESC LIMIT $2",
        )
        .bind(&pattern)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NameRequestRow {
    pub id: i64,
    pub user_id: i64,
    pub current_name: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_given_name: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewNameRequest<'a> {
    pub user_id: i64,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub preferred_given_name: &'a str,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// Records a request; `None` when the person already has one open.
pub async fn open_name_request(db: &Db, request: &NewNameRequest<'_>) -> Result<Option<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO name_requests (user_id, given_name, family_name, preferred_given_name, reason, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(request.user_id)
        .bind(request.given_name)
        .bind(request.family_name)
        .bind(request.preferred_given_name)
        .bind(request.reason)
        .bind(request.at)
        .fetch_optional(pool)
        .await
    })?)
}

const REQUEST_COLUMNS: &str = "r.id, r.user_id, u.display_name AS current_name, r.given_name, r.family_name, \
     r.preferred_given_name, r.reason, r.status, r.created_at FROM name_requests r JOIN users u ON u.id = r.user_id";

pub async fn open_name_requests(db: &Db, limit: i64) -> Result<Vec<NameRequestRow>> {
    let sql = format!("SELECT {REQUEST_COLUMNS} WHERE r.status = 'open' ORDER BY r.id LIMIT $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(pool)
            .await
    })?)
}

pub async fn name_request(db: &Db, id: i64) -> Result<Option<NameRequestRow>> {
    let sql = format!("SELECT {REQUEST_COLUMNS} WHERE r.id = $1");
    Ok(with_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Closes an open request; false when it was decided already.
pub async fn decide_name_request(
    tx: &mut Tx,
    id: i64,
    status: &str,
    by: i64,
    note: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE name_requests SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5 \
             WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
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
