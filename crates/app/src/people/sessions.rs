//! Signing in and out, and the server-side sessions behind the session cookie.

use super::{Credential, Viewer};
use crate::outbox::record_audit;
use crate::secrets::{decoy_hash, hash_token, new_token, verify_password};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::people::{Role, RoleSet, parse_email};
use guildhall_store::Tx;
use guildhall_store::people::{self as store, CredentialOwner, NewSession};
use serde::Serialize;
use serde_json::json;

pub const SESSION_TOKEN_PREFIX: &str = "ghs_";

/// Writing `last_seen_at` on every request would turn every read into a write.
const TOUCH_AFTER: Duration = Duration::minutes(5);

/// A new session: the token goes into the cookie and is never stored.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
    pub session_id: i64,
}

/// Where a sign-in stands after the password (or the identity provider).
#[derive(Debug)]
pub enum SignInStep {
    SignedIn(SignedIn),
    /// The person turned on two-factor authentication: the code comes next. The token names
    /// this pending sign-in (a short-lived cookie carries it).
    SecondFactor {
        pending: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    pub id: i64,
    pub user_agent: String,
    pub ip: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub current: bool,
}

pub(super) async fn start_session(
    app: &App,
    tx: &mut Tx,
    user_id: i64,
    ip: &str,
    user_agent: &str,
) -> AppResult<SignedIn> {
    let token = new_token(SESSION_TOKEN_PREFIX)?;
    let now = clock::now();
    let user_agent: String = user_agent.chars().take(300).collect();
    let session_id = store::insert_session(
        tx,
        &NewSession {
            token_hash: &hash_token(&token),
            user_id,
            user_agent: &user_agent,
            ip,
            now,
            expires_at: now + Duration::days(app.settings().auth.session_days),
        },
    )
    .await?;
    record_audit(
        tx,
        Some(user_id),
        "session.started",
        &format!("user:{user_id}"),
        json!({ "ip": ip }),
    )
    .await?;
    Ok(SignedIn {
        token,
        user_id,
        session_id,
    })
}

impl App {
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignInStep> {
        let user = self.verified_user(email, password, ip).await?;
        let ended_suspension =
            user.status == "suspended" && self.end_finished_suspension(user.id).await?;
        if user.status != "active" && !ended_suspension {
            return Err(self.locked_out(user.id, &user.status).await?);
        }
        self.session_or_second_factor(user.id, ip, user_agent).await
    }

    /// Signs a verified person in, or asks for their second factor first when they have one.
    pub async fn session_or_second_factor(
        &self,
        user_id: i64,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignInStep> {
        if self.has_second_factor(user_id).await? {
            return Ok(SignInStep::SecondFactor {
                pending: self.pending_sign_in(user_id).await?,
            });
        }
        let mut tx = self.db().begin().await?;
        let signed_in = start_session(self, &mut tx, user_id, ip, user_agent).await?;
        tx.commit().await?;
        Ok(SignInStep::SignedIn(signed_in))
    }

    /// The account behind an email and password, within the sign-in limits; a wrong email and a
    /// wrong password take the same time and give the same answer.
    pub(crate) async fn verified_user(
        &self,
        email: &str,
        password: &str,
        ip: &str,
    ) -> AppResult<store::UserRow> {
        let email = parse_email(email).map_err(|_| AppError::BadCredentials)?;
        self.inner.login_limits.attempt(email.as_str(), ip)?;
        let user = store::user_by_email(self.db(), email.as_str()).await?;
        let hash = match user.as_ref().and_then(|u| u.password_hash.clone()) {
            Some(hash) => hash,
            None => decoy_hash().await?,
        };
        let password_ok = verify_password(password.to_owned(), hash).await?;
        match user {
            Some(user) if password_ok => Ok(user),
            _ => Err(AppError::BadCredentials),
        }
    }

    /// The person behind a session cookie, if the session is valid.
    pub async fn viewer_for_session(&self, token: &str) -> AppResult<Option<Viewer>> {
        if !token.starts_with(SESSION_TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = hash_token(token);
        if let Some(viewer) = self.inner.viewers.get(&hash) {
            return Ok(Some(viewer));
        }
        let now = clock::now();
        let Some(owner) = store::session_owner(self.db(), &hash, now).await? else {
            return Ok(None);
        };
        if owner
            .last_used_at
            .is_none_or(|seen| now - seen > TOUCH_AFTER)
        {
            store::touch_session(self.db(), owner.credential_id, now).await?;
        }
        let credential = Credential::Session {
            id: owner.credential_id,
        };
        let viewer = self.viewer_from(owner, credential).await?;
        if let Some(viewer) = &viewer {
            self.inner.viewers.put(hash, viewer.clone());
        }
        Ok(viewer)
    }

    pub(super) async fn viewer_from(
        &self,
        owner: CredentialOwner,
        credential: Credential,
    ) -> AppResult<Option<Viewer>> {
        if owner.status != "active" {
            return Ok(None);
        }
        let held: RoleSet = store::roles_of(self.db(), owner.user_id)
            .await?
            .iter()
            .filter_map(|r| Role::parse(r))
            .collect();
        // Administrator and HR act only after a second factor (the command line is the
        // operator, already trusted).
        let trusted = owner.second_factor
            || credential == Credential::CommandLine
            || !self.settings().people.second_factor_for_admins_and_hr;
        let (mut roles, mut dormant_roles) = (RoleSet::default(), RoleSet::default());
        for role in Role::ALL {
            if held.contains(role) {
                if trusted || !matches!(role, Role::Admin | Role::Hr) {
                    roles.insert(role);
                } else {
                    dormant_roles.insert(role);
                }
            }
        }
        Ok(Some(Viewer {
            id: owner.user_id,
            email: owner.email,
            given_name: owner.given_name,
            display_name: owner.display_name,
            roles,
            dormant_roles,
            credential,
        }))
    }

    /// A person as the command line acts for them (the demo, imports).
    pub async fn viewer_for_cli(&self, user_id: i64) -> AppResult<Viewer> {
        self.viewer_by_id(user_id, Credential::CommandLine).await
    }

    /// A person acting without a session (the command line, a reply by email); "not found"
    /// unless their account is active.
    pub(crate) async fn viewer_by_id(
        &self,
        user_id: i64,
        credential: Credential,
    ) -> AppResult<Viewer> {
        let user = store::user_by_id(self.db(), user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let owner = CredentialOwner {
            credential_id: 0,
            last_used_at: None,
            can_write: true,
            user_id: user.id,
            email: user.email,
            given_name: user.given_name,
            display_name: user.display_name,
            status: user.status,
            second_factor: false,
        };
        self.viewer_from(owner, credential)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let hash = hash_token(token);
        store::delete_session_by_hash(self.db(), &hash).await?;
        // After the delete: a request in between cannot put the session back into the cache.
        self.inner.viewers.forget(&hash);
        Ok(())
    }

    pub async fn sessions(&self, viewer: &Viewer) -> AppResult<Vec<SessionInfo>> {
        let current = match viewer.credential {
            Credential::Session { id } => Some(id),
            Credential::ApiToken { .. }
            | Credential::CommandLine
            | Credential::Remote
            | Credential::Email => None,
        };
        Ok(store::list_sessions(self.db(), viewer.id, clock::now())
            .await?
            .into_iter()
            .map(|s| SessionInfo {
                current: Some(s.id) == current,
                id: s.id,
                user_agent: s.user_agent,
                ip: s.ip,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.expires_at,
            })
            .collect())
    }

    pub async fn revoke_session(&self, viewer: &Viewer, session_id: i64) -> AppResult<()> {
        let deleted = store::delete_session(self.db(), viewer.id, session_id).await?;
        self.inner.viewers.forget_person(viewer.id);
        if deleted {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Ends every session of the person, this one included.
    pub async fn sign_out_everywhere(&self, viewer: &Viewer) -> AppResult<u64> {
        let ended = store::delete_sessions_of(self.db(), viewer.id, None).await?;
        self.inner.viewers.forget_person(viewer.id);
        Ok(ended)
    }
}
