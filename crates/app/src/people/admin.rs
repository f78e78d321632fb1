//! What administrators do with people: the sign-up policy, invitations, roles.

use super::Viewer;
use super::accounts::SIGNUP_POLICY_KEY;
use crate::outbox::record_audit;
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::{Role, SignupMode, SignupPolicy, parse_email};
use guildhall_store::people as store;
use serde::Serialize;
use serde_json::json;

pub const INVITATION_PREFIX: &str = "ghi_";
pub const PEOPLE_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Serialize)]
pub struct InvitationLink {
    pub id: i64,
    /// The path to share: `/join/<token>`; the token is shown this once.
    pub path: String,
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonSummary {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub status: String,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
}

impl App {
    pub async fn set_signup_policy(
        &self,
        admin: &Viewer,
        mode: &str,
        domains: &str,
    ) -> AppResult<SignupPolicy> {
        admin.require(Role::Admin)?;
        let mut errors = FieldErrors::new();
        let mode = errors.check(
            "mode",
            SignupMode::parse(mode).ok_or_else(|| "Choose open, domains or invitation.".to_owned()),
        );
        let allowed_domains = errors.check("allowed_domains", SignupPolicy::parse_domains(domains));
        if mode == Some(SignupMode::Domains) && allowed_domains.as_ref().is_some_and(Vec::is_empty)
        {
            errors.add(
                "allowed_domains",
                "List at least one domain, or choose another mode.",
            );
        }
        errors.into_result()?;
        let (Some(mode), Some(allowed_domains)) = (mode, allowed_domains) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let policy = SignupPolicy {
            mode,
            allowed_domains,
        };
        let value =
            serde_json::to_string(&policy).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.db().begin().await?;
        store::put_setting(&mut tx, SIGNUP_POLICY_KEY, &value, clock::now()).await?;
        record_audit(
            &mut tx,
            Some(admin.id),
            "settings.signup_policy",
            "site",
            json!(policy),
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }

    pub async fn create_invitation(
        &self,
        admin: &Viewer,
        email: Option<&str>,
    ) -> AppResult<InvitationLink> {
        admin.require(Role::Admin)?;
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(raw) => {
                Some(parse_email(raw).map_err(|message| AppError::invalid("email", message))?)
            }
            None => None,
        };
        let token = new_token(INVITATION_PREFIX)?;
        let now = clock::now();
        let expires_at = now + Duration::days(self.settings().auth.invitation_days);
        let mut tx = self.db().begin().await?;
        let email_str = email.as_ref().map(|e| e.as_str());
        let id = store::insert_invitation(
            &mut tx,
            &hash_token(&token),
            email_str,
            admin.id,
            now,
            expires_at,
        )
        .await?;
        record_audit(
            &mut tx,
            Some(admin.id),
            "invitation.created",
            &format!("invitation:{id}"),
            json!({ "email": email_str }),
        )
        .await?;
        tx.commit().await?;
        Ok(InvitationLink {
            id,
            path: format!("/join/{token}"),
            email: email.map(|e| e.to_string()),
            expires_at,
        })
    }

    pub async fn recent_invitations(&self, admin: &Viewer) -> AppResult<Vec<store::InvitationRow>> {
        admin.require(Role::Admin)?;
        Ok(store::recent_invitations(self.db(), 20).await?)
    }

    /// One page of people, after the id `after` (0 for the first page).
    pub async fn people_page(&self, admin: &Viewer, after: i64) -> AppResult<Vec<PersonSummary>> {
        admin.require(Role::Admin)?;
        let users = store::list_users(self.db(), after.max(0), PEOPLE_PAGE_SIZE).await?;
        let mut people = Vec::with_capacity(users.len());
        for user in users {
            let roles = store::roles_of(self.db(), user.id).await?;
            people.push(PersonSummary {
                id: user.id,
                display_name: user.display_name,
                email: user.email,
                status: user.status,
                roles: roles.iter().filter_map(|r| Role::parse(r)).collect(),
                created_at: user.created_at,
            });
        }
        Ok(people)
    }

    /// Sets a person's roles; the last administrator cannot lose the role.
    pub async fn set_roles(
        &self,
        admin: &Viewer,
        user_id: i64,
        roles: &[String],
    ) -> AppResult<Vec<Role>> {
        admin.require(Role::Admin)?;
        let mut parsed = Vec::new();
        for raw in roles {
            let role = Role::parse(raw.trim())
                .ok_or_else(|| AppError::invalid("roles", format!("Unknown role “{raw}”.")))?;
            if !parsed.contains(&role) {
                parsed.push(role);
            }
        }
        parsed.sort();
        store::user_by_id(self.db(), user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let was_admin = store::roles_of(self.db(), user_id)
            .await?
            .iter()
            .any(|r| r == Role::Admin.as_str());
        if was_admin
            && !parsed.contains(&Role::Admin)
            && store::count_with_role(self.db(), Role::Admin.as_str()).await? <= 1
        {
            return Err(AppError::Conflict {
                code: "last_admin",
                message: "Guildhall needs at least one administrator: grant the role to someone else first.".into(),
            });
        }
        let names: Vec<&str> = parsed.iter().map(|r| r.as_str()).collect();
        let mut tx = self.db().begin().await?;
        store::replace_roles(&mut tx, user_id, &names, Some(admin.id), clock::now()).await?;
        record_audit(
            &mut tx,
            Some(admin.id),
            "roles.set",
            &format!("user:{user_id}"),
            json!({ "roles": names }),
        )
        .await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(user_id);
        Ok(parsed)
    }

    /// People whose name starts with `prefix`, for mention autocomplete (at most eight).
    pub async fn people_named_like(
        &self,
        _viewer: &Viewer,
        prefix: &str,
    ) -> AppResult<Vec<(i64, String)>> {
        let prefix = prefix.trim().to_lowercase();
        if prefix.chars().count() < 2
            || prefix.chars().count() > 60
            || prefix.chars().any(char::is_control)
        {
            return Ok(Vec::new());
        }
        Ok(store::names_starting_with(self.db(), &prefix, 8)
            .await?
            .into_iter()
            .map(|m| (m.id, m.display_name))
            .collect())
    }

    pub async fn user_id_by_email(&self, email: &str) -> AppResult<i64> {
        let email = parse_email(email).map_err(|message| AppError::invalid("email", message))?;
        Ok(store::user_by_email(self.db(), email.as_str())
            .await?
            .ok_or(AppError::NotFound)?
            .id)
    }
}
