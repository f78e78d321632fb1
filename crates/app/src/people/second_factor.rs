//! Two-factor authentication: enrolling an authenticator app, recovery codes, and the second
//! step of signing in. Administrators and HR need it (setting `auth.require_second_factor`):
//! without it their roles stay dormant.

use super::Viewer;
use super::sessions::SignedIn;
use crate::outbox::record_audit;
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::people::second_factor::{
    RECOVERY_CODES, normalise_recovery_code, otpauth_url, secret_for_typing, verify_code,
};
use guildhall_store::Tx;
use guildhall_store::second_factor as store;
use serde::Serialize;

const PENDING_PREFIX: &str = "ghp2_";
const PENDING_MINUTES: i64 = 10;
const PENDING_ATTEMPTS: i64 = 5;

/// What an authenticator app needs, shown once while enrolling.
#[derive(Debug, Clone, Serialize)]
pub struct Enrolment {
    pub secret_for_typing: String,
    pub otpauth_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecondFactorStatus {
    pub enabled: bool,
    pub recovery_codes_left: i64,
    /// The person holds a role (administrator, HR) that needs it.
    pub required: bool,
}

fn unix_now() -> u64 {
    u64::try_from(clock::now().timestamp()).unwrap_or(0)
}

fn random_secret() -> AppResult<Vec<u8>> {
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(secret)
}

/// Ten recovery codes like `k3f9-x2mq`, and their hashes to store.
fn recovery_codes() -> AppResult<(Vec<String>, Vec<String>)> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        let chars: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        codes.push(format!("{}-{}", &chars[..4], &chars[4..]));
    }
    let hashes = codes
        .iter()
        .map(|c| hash_token(&normalise_recovery_code(c)))
        .collect();
    Ok((codes, hashes))
}

impl App {
    pub async fn second_factor_status(&self, viewer: &Viewer) -> AppResult<SecondFactorStatus> {
        let row = store::second_factor(self.db(), viewer.id).await?;
        Ok(SecondFactorStatus {
            enabled: row.is_some_and(|r| r.confirmed_at.is_some()),
            recovery_codes_left: store::unused_recovery_codes(self.db(), viewer.id).await?,
            required: viewer.needs_second_factor(),
        })
    }

    /// A new secret for the authenticator app; it counts once the first code from it is right.
    pub async fn begin_second_factor(&self, viewer: &Viewer) -> AppResult<Enrolment> {
        if self.second_factor_status(viewer).await?.enabled {
            return Err(AppError::Conflict {
                code: "second_factor_enabled",
                message: "Two-factor authentication is on already.".into(),
            });
        }
        let secret = random_secret()?;
        store::start_enrolment(self.db(), viewer.id, &secret, clock::now()).await?;
        Ok(Enrolment {
            secret_for_typing: secret_for_typing(&secret),
            otpauth_url: otpauth_url(&secret, &viewer.email),
        })
    }

    /// The set-up in progress (scanned but not yet confirmed), to show again after a wrong
    /// first code instead of making the person start over with a new secret.
    pub async fn pending_second_factor(&self, viewer: &Viewer) -> AppResult<Option<Enrolment>> {
        Ok(store::second_factor(self.db(), viewer.id)
            .await?
            .filter(|r| r.confirmed_at.is_none())
            .map(|row| Enrolment {
                secret_for_typing: secret_for_typing(&row.secret),
                otpauth_url: otpauth_url(&row.secret, &viewer.email),
            }))
    }

    /// Confirms enrolment with a first code; returns the recovery codes (shown once). The
    /// current session counts as having passed the second factor.
    pub async fn confirm_second_factor(
        &self,
        viewer: &Viewer,
        code: &str,
    ) -> AppResult<Vec<String>> {
        let row = store::second_factor(self.db(), viewer.id)
            .await?
            .filter(|r| r.confirmed_at.is_none())
            .ok_or_else(|| AppError::invalid("code", "Start again: scan a new code first."))?;
        let step = verify_code(&row.secret, code, unix_now(), None).ok_or_else(|| {
            AppError::invalid("code", "That code is not right. Try the newest one.")
        })?;
        let (codes, hashes) = recovery_codes()?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::use_step(
            &mut tx,
            viewer.id,
            i64::try_from(step).unwrap_or(i64::MAX),
            now,
        )
        .await?;
        store::replace_recovery_codes(&mut tx, viewer.id, &hashes).await?;
        if let super::Credential::Session { id } = viewer.credential {
            store::mark_session(&mut tx, id).await?;
        }
        record_audit(
            &mut tx,
            Some(viewer.id),
            "second_factor.enabled",
            &format!("user:{}", viewer.id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(viewer.id);
        Ok(codes)
    }

    /// Turns it off with a current code; not for people whose role needs it.
    pub async fn disable_second_factor(&self, viewer: &Viewer, code: &str) -> AppResult<()> {
        if viewer.needs_second_factor() {
            return Err(AppError::forbidden(
                "second_factor_required",
                "Your role needs two-factor authentication, so it stays on.",
            ));
        }
        let mut tx = self.db().begin().await?;
        if !check_second_factor(&mut tx, viewer.id, code).await? {
            return Err(AppError::invalid("code", "That code is not right."));
        }
        store::remove(&mut tx, viewer.id).await?;
        record_audit(
            &mut tx,
            Some(viewer.id),
            "second_factor.disabled",
            &format!("user:{}", viewer.id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a person turned two-factor authentication on.
    pub(crate) async fn has_second_factor(&self, user_id: i64) -> AppResult<bool> {
        Ok(store::second_factor(self.db(), user_id)
            .await?
            .is_some_and(|r| r.confirmed_at.is_some()))
    }

    /// After the password (or identity provider), a sign-in waits for the second factor: the
    /// returned token travels in a short-lived cookie to the code form.
    pub(crate) async fn pending_sign_in(&self, user_id: i64) -> AppResult<String> {
        let token = new_token(PENDING_PREFIX)?;
        let now = clock::now();
        store::insert_pending(
            self.db(),
            &hash_token(&token),
            user_id,
            now,
            now + Duration::minutes(PENDING_MINUTES),
        )
        .await?;
        Ok(token)
    }

    /// The second step of signing in: a code from the app or a recovery code.
    pub async fn complete_sign_in(
        &self,
        pending: &str,
        code: &str,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignedIn> {
        let hash = hash_token(pending);
        let expired = || {
            AppError::forbidden(
                "sign_in_expired",
                "Please sign in again: that took too long.",
            )
        };
        let mut tx = self.db().begin().await?;
        let (user_id, attempts) = store::pending_attempt(&mut tx, &hash, clock::now())
            .await?
            .ok_or_else(expired)?;
        if attempts > PENDING_ATTEMPTS {
            store::delete_pending(&mut tx, &hash).await?;
            tx.commit().await?;
            return Err(expired());
        }
        if !check_second_factor(&mut tx, user_id, code).await? {
            // The attempt is counted even when the code is wrong.
            tx.commit().await?;
            return Err(AppError::invalid("code", "That code is not right."));
        }
        store::delete_pending(&mut tx, &hash).await?;
        let signed_in =
            super::sessions::start_session(self, &mut tx, user_id, ip, user_agent).await?;
        store::mark_session(&mut tx, signed_in.session_id).await?;
        tx.commit().await?;
        Ok(signed_in)
    }
}

/// A TOTP code (each step once) or an unused recovery code.
async fn check_second_factor(tx: &mut Tx, user_id: i64, code: &str) -> AppResult<bool> {
    let Some(row) = store::second_factor_in(tx, user_id)
        .await?
        .filter(|r| r.confirmed_at.is_some())
    else {
        return Ok(false);
    };
    let last = row.last_step.and_then(|s| u64::try_from(s).ok());
    let now = clock::now();
    if let Some(step) = verify_code(&row.secret, code, unix_now(), last) {
        return Ok(
            store::use_step(tx, user_id, i64::try_from(step).unwrap_or(i64::MAX), now).await?,
        );
    }
    let hash = hash_token(&normalise_recovery_code(code));
    Ok(store::use_recovery_code(tx, user_id, &hash, now).await?)
}
