//! TOTP secrets, recovery codes and sign-ins waiting for their second factor.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecondFactorRow {
    pub secret: Vec<u8>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_step: Option<i64>,
}

const SECOND_FACTOR: &str =
    "SELECT secret, confirmed_at, last_step FROM second_factors WHERE user_id = $1";

pub async fn second_factor(db: &Db, user_id: i64) -> Result<Option<SecondFactorRow>> {
    Ok(with_db!(db, |pool| sqlx::query_as(SECOND_FACTOR)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

/// The same, read by the transaction that will use a code.
pub async fn second_factor_in(tx: &mut Tx, user_id: i64) -> Result<Option<SecondFactorRow>> {
    Ok(with_tx!(tx, |conn| sqlx::query_as(SECOND_FACTOR)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?)
}

/// Starts (or restarts) enrolment with a new, unconfirmed secret.
pub async fn start_enrolment(
    db: &Db,
    user_id: i64,
    secret: &[u8],
    at: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, confirmed_at = NULL, \
             last_step = NULL, created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(secret)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Records a used step (and confirms the secret on first use); false when a newer step was used
/// meanwhile — the code is a replay.
pub async fn use_step(tx: &mut Tx, user_id: i64, step: i64, at: DateTime<Utc>) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE second_factors SET last_step = $2, confirmed_at = COALESCE(confirmed_at, $3) \
             WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)",
        )
        .bind(user_id)
        .bind(step)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn remove(tx: &mut Tx, user_id: i64) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM second_factors WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn replace_recovery_codes(tx: &mut Tx, user_id: i64, hashes: &[String]) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for hash in hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(())
}

/// Spends a recovery code; false when there is no such unused code.
pub async fn use_recovery_code(
    tx: &mut Tx,
    user_id: i64,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = with_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(hash)
        .bind(at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

pub async fn unused_recovery_codes(db: &Db, user_id: i64) -> Result<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
    })?)
}

pub async fn insert_pending(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO pending_sign_ins (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(at)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The person of a live pending sign-in, counting the attempt (at most a few are allowed).
pub async fn pending_attempt(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, i64)>> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_as(
            "UPDATE pending_sign_ins SET attempts = attempts + 1 WHERE token_hash = $1 AND expires_at > $2 \
             RETURNING user_id, attempts",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await
    })?)
}

pub async fn delete_pending(tx: &mut Tx, token_hash: &str) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("DELETE FROM pending_sign_ins WHERE token_hash = $1")
            .bind(token_hash)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Marks a session as having passed the second factor.
pub async fn mark_session(tx: &mut Tx, session_id: i64) -> Result<()> {
    with_tx!(tx, |conn| {
        sqlx::query("UPDATE sessions SET second_factor = TRUE WHERE id = $1")
            .bind(session_id)
            .execute(conn)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
