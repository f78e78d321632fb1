//! Creating accounts: the first administrator and sign-up (open, by domain, or by invitation).

use super::sessions::{SignedIn, start_session};
use crate::outbox::record_audit;
use crate::secrets::{hash_password, hash_token};
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::{
    Email, PersonName, Role, SignupMode, SignupPolicy, check_new_password, parse_email,
    parse_person_name,
};
use guildhall_store::people::{self as store, NewUser};
use guildhall_store::{StoreError, Tx};
use serde::Serialize;
use serde_json::json;
use std::sync::atomic::Ordering;

const SETUP_KEY: &str = "setup_completed_at";
pub(super) const SIGNUP_POLICY_KEY: &str = "signup_policy";

/// What a person types to get an account.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub password: String,
}

struct ValidPerson {
    name: PersonName,
    email: Email,
    password: String,
}

impl NewPerson {
    fn validate(&self) -> Result<ValidPerson, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = match parse_person_name(&self.given_name, &self.family_name) {
            Ok(name) => Some(name),
            Err(problems) => {
                for (field, message) in problems {
                    errors.add(field, message);
                }
                None
            }
        };
        let email = errors.check("email", parse_email(&self.email));
        if let Err(message) = check_new_password(&self.password, &self.email) {
            errors.add("password", message);
        }
        match (name, email, errors.is_empty()) {
            (Some(name), Some(email), true) => Ok(ValidPerson {
                name,
                email,
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// A person as they appear on their own profile and in `/api/v1/me`.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub id: i64,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Where a new account comes from, for the audit log.
#[derive(Clone, Copy)]
enum Origin {
    Setup,
    Signup,
    Invitation(i64),
    Cli,
}

impl App {
    /// True until the first administrator exists; then cached, since it never becomes true again.
    pub async fn needs_setup(&self) -> AppResult<bool> {
        if self.inner.setup_done.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let needed = store::count_users(self.db()).await? == 0;
        if !needed {
            self.inner.setup_done.store(true, Ordering::Relaxed);
        }
        Ok(needed)
    }

    /// The first-run page: creates the first administrator and signs them in.
    pub async fn set_up_first_admin(
        &self,
        person: &NewPerson,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignedIn> {
        let (user_id, tx) = self.create_first_admin(person).await?;
        let signed_in = self.finish_account(tx, user_id, ip, user_agent).await?;
        self.inner.setup_done.store(true, Ordering::Relaxed);
        Ok(signed_in)
    }

    /// `guildhall admin create` and the demo: a person with roles, without a session. Completes
    /// the first-run setup when it creates an administrator.
    pub async fn create_person_from_cli(
        &self,
        person: &NewPerson,
        roles: &[Role],
    ) -> AppResult<i64> {
        let valid = person.validate()?;
        let mut tx = self.db().begin().await?;
        let user_id = self
            .insert_person(&mut tx, &valid, Origin::Cli, roles)
            .await?;
        if roles.contains(&Role::Admin) {
            complete_setup(&mut tx, &valid.email).await?;
        }
        tx.commit().await?;
        self.inner.setup_done.store(true, Ordering::Relaxed);
        Ok(user_id)
    }

    async fn create_first_admin(&self, person: &NewPerson) -> AppResult<(i64, Tx)> {
        if !self.needs_setup().await? {
            return Err(already_set_up());
        }
        let valid = person.validate()?;
        let mut tx = self.db().begin().await?;
        let user_id = self
            .insert_person(&mut tx, &valid, Origin::Setup, &[Role::Admin])
            .await?;
        // Two people completing setup at once: exactly one claims it, the other rolls back.
        if !complete_setup(&mut tx, &valid.email).await? {
            return Err(already_set_up());
        }
        Ok((user_id, tx))
    }

    /// Sign-up, with an invitation token when the person followed an invitation link.
    pub async fn sign_up(
        &self,
        person: &NewPerson,
        invitation: Option<&str>,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignedIn> {
        let valid = person.validate()?;
        self.check_name(&valid.name).await?;
        let invitation = match invitation.filter(|t| !t.is_empty()) {
            Some(token) => Some(self.usable_invitation(token).await?),
            None => None,
        };
        if let Some(invited) = &invitation
            && invited
                .email
                .as_deref()
                .is_some_and(|email| email != valid.email.as_str())
        {
            return Err(AppError::invalid(
                "email",
                "This invitation is for another email address.",
            ));
        }
        let policy = self.signup_policy().await?;
        policy
            .admits(&valid.email, invitation.is_some())
            .map_err(|refusal| AppError::forbidden("signup_closed", refusal.message()))?;

        let mut tx = self.db().begin().await?;
        let origin = invitation
            .as_ref()
            .map_or(Origin::Signup, |i| Origin::Invitation(i.id));
        let user_id = self.insert_person(&mut tx, &valid, origin, &[]).await?;
        if let Some(invited) = &invitation
            && !store::accept_invitation(&mut tx, invited.id, user_id, clock::now()).await?
        {
            return Err(invitation_used());
        }
        self.finish_account(tx, user_id, ip, user_agent).await
    }

    /// Names pass the content check too: the word filter in the name rules, plus the
    /// organisation's word rules and the insult model.
    async fn check_name(&self, name: &PersonName) -> AppResult<()> {
        let verdict = self.content_check().await?.check(&name.display_name());
        if verdict.action == guildhall_domain::moderation::Action::Allow {
            Ok(())
        } else {
            Err(AppError::invalid(
                "given_name",
                "Please use your professional name.",
            ))
        }
    }

    pub async fn signup_policy(&self) -> AppResult<SignupPolicy> {
        match store::setting(self.db(), SIGNUP_POLICY_KEY).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| AppError::Internal(format!("signup policy: {e}"))),
            None => Ok(SignupPolicy::default()),
        }
    }

    pub async fn profile(&self, user_id: i64) -> AppResult<Profile> {
        let user = store::user_by_id(self.db(), user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let roles = store::roles_of(self.db(), user_id).await?;
        Ok(Profile {
            id: user.id,
            email: user.email,
            given_name: user.given_name,
            family_name: user.family_name,
            display_name: user.display_name,
            roles: roles.iter().filter_map(|r| Role::parse(r)).collect(),
            created_at: user.created_at,
        })
    }

    async fn insert_person(
        &self,
        tx: &mut Tx,
        valid: &ValidPerson,
        origin: Origin,
        roles: &[Role],
    ) -> AppResult<i64> {
        let hash = hash_password(valid.password.clone()).await?;
        let now = clock::now();
        let display_name = valid.name.display_name();
        let user_id = store::insert_user(
            tx,
            &NewUser {
                email: valid.email.as_str(),
                given_name: &valid.name.given_name,
                family_name: &valid.name.family_name,
                display_name: &display_name,
                password_hash: Some(&hash),
                now,
            },
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict => AppError::invalid(
                "email",
                "An account with this email address already exists.",
            ),
            other => other.into(),
        })?;
        let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        store::replace_roles(tx, user_id, &role_names, None, now).await?;
        super::index_person(tx, user_id, &display_name, now).await?;
        let (action, detail) = match origin {
            Origin::Setup => ("account.created_first_admin", json!({})),
            Origin::Signup => ("account.signed_up", json!({})),
            Origin::Invitation(id) => ("account.signed_up", json!({ "invitation_id": id })),
            Origin::Cli => ("account.created_cli", json!({})),
        };
        record_audit(
            tx,
            Some(user_id),
            action,
            &format!("user:{user_id}"),
            detail,
        )
        .await?;
        Ok(user_id)
    }

    async fn finish_account(
        &self,
        mut tx: Tx,
        user_id: i64,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SignedIn> {
        let signed_in = start_session(self, &mut tx, user_id, ip, user_agent).await?;
        tx.commit().await?;
        Ok(signed_in)
    }

    async fn usable_invitation(&self, token: &str) -> AppResult<store::InvitationRow> {
        store::open_invitation(self.db(), &hash_token(token), clock::now())
            .await?
            .ok_or_else(invitation_used)
    }

    /// For the join page: whether an invitation link still works, and for which address.
    pub async fn check_invitation(&self, token: &str) -> AppResult<Option<String>> {
        Ok(self.usable_invitation(token).await?.email)
    }
}

/// Marks the first-run setup done, once; the first administrator's email domain becomes the first
/// sign-up policy (colleagues may join). `false` when setup was already complete.
async fn complete_setup(tx: &mut Tx, admin_email: &Email) -> AppResult<bool> {
    let now = clock::now();
    if !store::claim_setting(tx, SETUP_KEY, &now.to_rfc3339(), now).await? {
        return Ok(false);
    }
    let policy = SignupPolicy {
        mode: SignupMode::Domains,
        allowed_domains: vec![admin_email.domain().to_owned()],
    };
    let policy_json =
        serde_json::to_string(&policy).map_err(|e| AppError::Internal(e.to_string()))?;
    store::put_setting(tx, SIGNUP_POLICY_KEY, &policy_json, now).await?;
    Ok(true)
}

fn already_set_up() -> AppError {
    AppError::Conflict {
        code: "already_set_up",
        message: "Guildhall is already set up: please sign in.".into(),
    }
}

fn invitation_used() -> AppError {
    AppError::forbidden(
        "invitation_invalid",
        "This invitation link has expired or was already used.",
    )
}
