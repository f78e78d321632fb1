//! Personal access tokens for the JSON API: shown once, stored hashed, read or read/write.

use super::{Credential, Viewer};
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::fields::single_line;
use guildhall_store::people as store;
use serde::Serialize;

pub const API_TOKEN_PREFIX: &str = "gh_";
const TOUCH_AFTER: Duration = Duration::minutes(5);
const MAX_TOKEN_NAME_CHARS: usize = 80;

#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<&'static str>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Clone, Serialize)]
pub struct NewApiToken {
    pub token: String,
    #[serde(flatten)]
    pub info: ApiTokenInfo,
}

fn scopes(can_write: bool) -> Vec<&'static str> {
    if can_write {
        vec!["read", "write"]
    } else {
        vec!["read"]
    }
}

/// Accepts `read`, `write` (which implies read) in any combination, at least one; nothing else.
pub fn parse_scopes(requested: &[String]) -> Result<bool, String> {
    if requested.is_empty() {
        return Err("Choose at least one scope: read or write.".into());
    }
    let mut can_write = false;
    for scope in requested {
        match scope.trim() {
            "read" => {}
            "write" => can_write = true,
            other => return Err(format!("Unknown scope “{other}”: use read or write.")),
        }
    }
    Ok(can_write)
}

impl App {
    pub async fn create_api_token(
        &self,
        viewer: &Viewer,
        name: &str,
        requested_scopes: &[String],
    ) -> AppResult<NewApiToken> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", single_line(name, MAX_TOKEN_NAME_CHARS));
        let can_write = errors.check("scopes", parse_scopes(requested_scopes));
        match (name, can_write) {
            (Some(name), Some(can_write)) => {
                self.issue_api_token(viewer.id, &name, can_write).await
            }
            _ => Err(errors.into()),
        }
    }

    /// Also used by `guildhall token create`, where no viewer exists.
    pub async fn issue_api_token(
        &self,
        user_id: i64,
        name: &str,
        can_write: bool,
    ) -> AppResult<NewApiToken> {
        let token = new_token(API_TOKEN_PREFIX)?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let id =
            store::insert_api_token(&mut tx, user_id, name, &hash_token(&token), can_write, now)
                .await?;
        crate::outbox::record_audit(
            &mut tx,
            Some(user_id),
            "api_token.created",
            &format!("api_token:{id}"),
            serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(NewApiToken {
            token,
            info: ApiTokenInfo {
                id,
                name: name.to_owned(),
                scopes: scopes(can_write),
                created_at: now,
                last_used_at: None,
            },
        })
    }

    pub async fn api_tokens(&self, viewer: &Viewer) -> AppResult<Vec<ApiTokenInfo>> {
        Ok(store::list_api_tokens(self.db(), viewer.id)
            .await?
            .into_iter()
            .map(|t| ApiTokenInfo {
                id: t.id,
                name: t.name,
                scopes: scopes(t.can_write),
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    }

    pub async fn revoke_api_token(&self, viewer: &Viewer, token_id: i64) -> AppResult<()> {
        let revoked = store::revoke_api_token(self.db(), viewer.id, token_id, clock::now()).await?;
        self.inner.viewers.forget_person(viewer.id);
        if revoked {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The person behind a bearer token, if it is valid and not revoked.
    pub async fn viewer_for_api_token(&self, token: &str) -> AppResult<Option<Viewer>> {
        if !token.starts_with(API_TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = hash_token(token);
        if let Some(viewer) = self.inner.viewers.get(&hash) {
            return Ok(Some(viewer));
        }
        let Some(owner) = store::api_token_owner(self.db(), &hash).await? else {
            return Ok(None);
        };
        let now = clock::now();
        if owner
            .last_used_at
            .is_none_or(|used| now - used > TOUCH_AFTER)
        {
            store::touch_api_token(self.db(), owner.credential_id, now).await?;
        }
        let credential = Credential::ApiToken {
            id: owner.credential_id,
            can_write: owner.can_write,
        };
        let viewer = self.viewer_from(owner, credential).await?;
        if let Some(viewer) = &viewer {
            self.inner.viewers.put(hash, viewer.clone());
        }
        Ok(viewer)
    }
}
