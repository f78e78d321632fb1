//! Single sign-on: the identities people have at OpenID providers, and the sign-ins in flight.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentityRow {
    pub id: i64,
    pub user_id: i64,
    pub status: String,
}

/// The account behind (issuer, subject), with its status, if one was linked before.
pub async fn identity(db: &Db, issuer: &str, subject: &str) -> Result<Option<IdentityRow>> {
    const SQL: &str = "SELECT i.id, i.user_id, u.status FROM identities i \
         JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2";
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(issuer)
            .bind(subject)
            .fetch_optional(pool)
            .await
    })?)
}

pub struct NewIdentity<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub user_id: i64,
    pub email: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Links an identity; the same (issuer, subject) twice is a [`StoreError::Conflict`](crate::StoreError).
pub async fn insert_identity(tx: &mut Tx, identity: &NewIdentity<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO identities (issuer, subject, user_id, email, created_at, last_sign_in_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(identity.issuer)
        .bind(identity.subject)
        .bind(identity.user_id)
        .bind(identity.email)
        .bind(identity.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn touch_identity(
    tx: &mut Tx,
    id: i64,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE identities SET last_sign_in_at = $1, email = $2 WHERE id = $3")
            .bind(now)
            .bind(email)
            .bind(id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// The name came from the provider: it counts as verified (see migration 0011).
pub async fn mark_name_from_idp(tx: &mut Tx, user_id: i64) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET name_source = 'idp' WHERE id = $1")
            .bind(user_id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub struct NewLogin<'a> {
    pub state_hash: &'a str,
    pub browser_hash: &'a str,
    pub provider: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
    pub next_path: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    pub browser_hash: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub expires_at: DateTime<Utc>,
}

/// Records a sign-in in flight and clears the ones abandoned long ago, so the table stays small.
pub async fn insert_login(db: &Db, login: &NewLogin<'_>) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query("DELETE FROM oidc_logins WHERE expires_at < $1")
            .bind(login.now)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO oidc_logins (state_hash, browser_hash, provider, nonce, pkce_verifier, next_path, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(login.state_hash)
        .bind(login.browser_hash)
        .bind(login.provider)
        .bind(login.nonce)
        .bind(login.pkce_verifier)
        .bind(login.next_path)
        .bind(login.now)
        .bind(login.expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Takes the sign-in in flight for `state` out of the table: one `DELETE … RETURNING`, so of two
/// requests with the same state exactly one gets the row.
pub async fn take_login(db: &Db, state_hash: &str) -> Result<Option<LoginRow>> {
    const SQL: &str = "DELETE FROM oidc_logins WHERE state_hash = $1 \
         RETURNING browser_hash, provider, nonce, pkce_verifier, next_path, expires_at";
    Ok(with_db!(db, |pool| {
        sqlx::query_as(SQL)
            .bind(state_hash)
            .fetch_optional(pool)
            .await
    })?)
}

pub async fn count_identities(db: &Db) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM identities")
            .fetch_one(pool)
            .await
    })?)
}

/// A sign-in method a person linked, for their own account page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedIdentityRow {
    pub id: i64,
    pub issuer: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: DateTime<Utc>,
}

pub async fn identities_of(db: &Db, user_id: i64) -> Result<Vec<LinkedIdentityRow>> {
    const SQL: &str = "SELECT id, issuer, email, created_at, last_sign_in_at FROM identities \
         WHERE user_id = $1 ORDER BY id";
    Ok(with_db!(db, |pool| sqlx::query_as(SQL)
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
}

/// Unlinks one of the person's identities unless it is their last way in (no password and no
/// other identity); one statement, so two unlinks at once cannot both pass the check.
pub async fn unlink_identity(tx: &mut Tx, user_id: i64, id: i64) -> Result<bool> {
    let removed = with_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM identities WHERE id = $1 AND user_id = $2 AND ( \
               EXISTS (SELECT 1 FROM users WHERE id = $2 AND password_hash IS NOT NULL) \
               OR (SELECT count(*) FROM identities WHERE user_id = $2) > 1)",
        )
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(removed == 1)
}
