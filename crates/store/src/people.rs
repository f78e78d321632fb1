//! Accounts, roles, sessions, API tokens, invitations and the sign-up settings.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn count_users(db: &Db) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
    })?)
}

/// Inserts a person; an email already in use is a [`StoreError::Conflict`](crate::StoreError).
pub async fn insert_user(tx: &mut Tx, user: &NewUser<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (email, given_name, family_name, display_name, password_hash, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'active', $6, $6) RETURNING id",
        )
        .bind(user.email)
        .bind(user.given_name)
        .bind(user.family_name)
        .bind(user.display_name)
        .bind(user.password_hash)
        .bind(user.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<UserRow>> {
    const SQL: &str = "SELECT id, email, given_name, family_name, display_name, password_hash, status, created_at FROM users WHERE email = $1";
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL).bind(email).fetch_optional(pool).await
    })?)
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<UserRow>> {
    const SQL: &str = "SELECT id, email, given_name, family_name, display_name, password_hash, status, created_at FROM users WHERE id = $1";
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL).bind(id).fetch_optional(pool).await
    })?)
}

/// One page of people in id order, after `after_id` (keyset pagination).
pub async fn list_users(db: &Db, after_id: i64, limit: i64) -> Result<Vec<UserRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, given_name, family_name, display_name, password_hash, status, created_at \
             FROM users WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

// ---- roles ----

pub async fn roles_of(db: &Db, user_id: i64) -> Result<Vec<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?)
}

/// Makes `roles` exactly the person's roles.
pub async fn replace_roles(
    tx: &mut Tx,
    user_id: i64,
    roles: &[&str],
    granted_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for role in roles {
            sqlx::query(
                "INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(user_id)
            .bind(*role)
            .bind(granted_by)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

pub async fn count_with_role(db: &Db, role: &str) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE role = $1")
            .bind(role)
            .fetch_one(pool)
            .await
    })?)
}

// ---- sessions ----

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub user_agent: &'a str,
    pub ip: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_agent: String,
    pub ip: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The person behind a credential (session or API token), as every request needs them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CredentialOwner {
    pub credential_id: i64,
    pub last_used_at: Option<DateTime<Utc>>,
    pub can_write: bool,
    pub user_id: i64,
    pub email: String,
    pub given_name: String,
    pub display_name: String,
    pub status: String,
    /// The session passed a second factor; for API tokens, the owner has one turned on.
    #[sqlx(default)]
    pub second_factor: bool,
}

pub async fn insert_session(tx: &mut Tx, session: &NewSession<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, user_id, user_agent, ip, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
        )
        .bind(session.token_hash)
        .bind(session.user_id)
        .bind(session.user_agent)
        .bind(session.ip)
        .bind(session.now)
        .bind(session.expires_at)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn session_owner(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<CredentialOwner>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.id AS credential_id, s.last_seen_at AS last_used_at, TRUE AS can_write, \
                    u.id AS user_id, u.email, u.given_name, u.display_name, u.status, s.second_factor \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn touch_session(db: &Db, session_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn list_sessions(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<Vec<SessionRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, user_agent, ip, created_at, last_seen_at, expires_at FROM sessions \
             WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id DESC",
        )
        .bind(user_id)
        .bind(now)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn delete_session_by_hash(db: &Db, token_hash: &str) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Revokes one of the person's sessions; `false` when it is not theirs or already gone.
pub async fn delete_session(db: &Db, user_id: i64, session_id: i64) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(session_id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Signs a person out everywhere, optionally keeping the session in use.
pub async fn delete_sessions_of(db: &Db, user_id: i64, keep: Option<i64>) -> Result<u64> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(0))
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}

pub async fn purge_expired_sessions(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let done = with_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
}

// ---- API tokens ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub can_write: bool,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn insert_api_token(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    token_hash: &str,
    can_write: bool,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, can_write, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(can_write)
        .bind(now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn list_api_tokens(db: &Db, user_id: i64) -> Result<Vec<ApiTokenRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, can_write, created_at, last_used_at FROM api_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?)
}

pub async fn revoke_api_token(
    db: &Db,
    user_id: i64,
    token_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_db!(db, |pool| {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(token_id)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn api_token_owner(db: &Db, token_hash: &str) -> Result<Option<CredentialOwner>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT t.id AS credential_id, t.last_used_at, t.can_write, \
                    u.id AS user_id, u.email, u.given_name, u.display_name, u.status, \
                    EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id \
                            AND f.confirmed_at IS NOT NULL) AS second_factor \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn touch_api_token(db: &Db, token_id: i64, now: DateTime<Utc>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

// ---- invitations ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

pub async fn insert_invitation(
    tx: &mut Tx,
    token_hash: &str,
    email: Option<&str>,
    created_by: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token_hash)
        .bind(email)
        .bind(created_by)
        .bind(now)
        .bind(expires_at)
        .fetch_one(conn)
        .await
    })?)
}

/// An invitation that can still be used.
pub async fn open_invitation(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<InvitationRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, created_at, expires_at, accepted_at FROM invitations \
             WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?)
}

/// Marks an invitation used; `false` when someone used it first (the caller rolls back).
pub async fn accept_invitation(
    tx: &mut Tx,
    invitation_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE invitations SET accepted_at = $1, accepted_by = $2 WHERE id = $3 AND accepted_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(invitation_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn recent_invitations(db: &Db, limit: i64) -> Result<Vec<InvitationRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, created_at, expires_at, accepted_at FROM invitations ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

// ---- site settings (admin-editable at run time) ----

pub async fn setting(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn put_setting(tx: &mut Tx, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Writes a setting only if it is absent: `false` means another request claimed it first.
pub async fn claim_setting(
    tx: &mut Tx,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

// ---- finding people by name (mentions) ----

/// Active people whose display name is `name`, ignoring case (names are not unique).
pub async fn users_named(db: &Db, name: &str) -> Result<Vec<i64>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM users WHERE lower(display_name) = lower($1) AND status = 'active' ORDER BY id LIMIT 20")
            .bind(name)
            .fetch_all(pool)
            .await
    })?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NameMatch {
    pub id: i64,
    pub display_name: String,
}

/// Active people whose display name starts with `prefix` (lower-case), for autocomplete.
pub async fn names_starting_with(db: &Db, prefix: &str, limit: i64) -> Result<Vec<NameMatch>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, display_name FROM users WHERE status = 'active' AND substr(lower(display_name), 1, CAST($1 AS INTEGER)) = $2 \
             ORDER BY display_name, id LIMIT $3",
        )
        .bind(i64::try_from(prefix.chars().count()).unwrap_or(0))
        .bind(prefix)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?)
}

/// Sets `active`, `suspended` or `banned`; sessions of people who are not active stop working.
pub async fn set_status(tx: &mut Tx, user_id: i64, status: &str, now: DateTime<Utc>) -> Result<()> {
    crate::with_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(user_id)
            .bind(status)
            .bind(now)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Ends every session of a person inside a transaction (suspension, ban).
pub async fn end_sessions(tx: &mut Tx, user_id: i64) -> Result<()> {
    crate::with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
