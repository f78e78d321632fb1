//! Open Badges 3.0: every badge award is also an `OpenBadgeCredential` signed as a VC-JWT with
//! the issuer's Ed25519 key. The issuer profile (with the public key), the credentials and the
//! revocation status lists are served at stable addresses under `server.public_url`, so that a
//! wallet or an employer can verify a badge without an account here.

use super::BadgeAward;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use guildhall_domain::rewards::credential::{
    AchievementInfo, Award, Issuer, IssuerKey, credential, issuer_profile, jwks, sign_jwt,
    verify_jwt,
};
use guildhall_domain::rewards::status_list::{StatusEntry, StatusList, status_list_credential};
use guildhall_store::rewards::badges::{self as store, AwardRow};
use serde::Serialize;
use serde_json::Value;

/// Awards per status list: the smallest list the Bitstring Status List spec allows.
const LIST_SIZE: i64 = 131_072;
/// A status list is re-signed on every fetch and valid for a day, so that an old copy cannot
/// be replayed to make a revoked badge look valid.
const LIST_VALID_HOURS: i64 = 24;

/// A credential and what its public verification page says about it.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialView {
    pub award: BadgeAward,
    pub issuer_name: String,
    /// The signed credential (compact VC-JWT).
    pub jwt: String,
    /// The credential as JSON.
    pub json: Value,
    /// Its signature checks out against the issuer's published key.
    pub signature_valid: bool,
    pub revoked: bool,
    /// The public address of the credential's page.
    pub url: String,
}

fn status_of(award_id: i64) -> (i64, u32) {
    let list = award_id / LIST_SIZE + 1;
    let index = u32::try_from(award_id % LIST_SIZE).unwrap_or(0);
    (list, index)
}

impl App {
    fn public(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.settings().server.public_url.trim_end_matches('/')
        )
    }

    fn issuer(&self) -> Issuer {
        Issuer {
            id: self.public("/issuer"),
            name: "Guildhall learning community".into(),
            url: self.public("/"),
            email: None,
        }
    }

    /// The issuer's signing key, made on first use and kept in the database (so that every
    /// instance signs with the same key).
    async fn issuer_key(&self) -> AppResult<IssuerKey> {
        let seed = match store::signing_seed(self.db()).await? {
            Some(seed) => seed,
            None => {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh)
                    .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
                store::add_signing_seed(self.db(), &STANDARD.encode(fresh), clock::now()).await?;
                store::signing_seed(self.db())
                    .await?
                    .ok_or_else(|| AppError::Internal("the signing key vanished".into()))?
            }
        };
        let bytes: [u8; 32] = STANDARD
            .decode(seed)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| AppError::Internal("the stored signing key is malformed".into()))?;
        Ok(IssuerKey::from_seed(&self.issuer(), bytes))
    }

    fn credential_of(&self, row: &AwardRow) -> Value {
        let (list, index) = status_of(row.id);
        let award = Award {
            credential_id: self.public(&format!("/credentials/{}", row.credential_key)),
            recipient_name: row.display_name.clone(),
            recipient_email: Some(row.email.clone()),
            recipient_url: Some(self.public(&format!("/people/{}", row.user_id))),
            salt: row.credential_key.clone(),
            issued_at: row.created_at,
            achievement: AchievementInfo {
                id: self.public(&format!("/badges/{}", row.slug)),
                name: row.name.clone(),
                description: row.description.clone(),
                criteria: row.criteria.clone(),
                image: Some(self.public(&format!("/badges/{}/image.svg", row.slug))),
            },
            evidence: (!row.reason.is_empty()).then(|| row.reason.clone()),
            status: Some(StatusEntry {
                list_url: self.public(&format!("/credentials/status/{list}")),
                index,
            }),
        };
        credential(&self.issuer(), &award)
    }

    async fn sign(&self, credential: &Value) -> AppResult<String> {
        let key = self.issuer_key().await?;
        sign_jwt(credential, &key).map_err(|e| AppError::Internal(format!("signing: {e}")))
    }

    /// The public verification page's content for one credential.
    pub async fn credential(&self, credential_key: &str) -> AppResult<CredentialView> {
        let row = store::award_by_key(self.db(), super::badges::plausible_key(credential_key)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let json = self.credential_of(&row);
        let jwt = self.sign(&json).await?;
        let key = self.issuer_key().await?;
        let signature_valid = verify_jwt(&jwt, &key.public(), clock::now()).is_ok();
        Ok(CredentialView {
            url: self.public(&format!("/credentials/{credential_key}")),
            issuer_name: self.issuer().name,
            revoked: row.revoked_at.is_some(),
            award: BadgeAward::from(row),
            jwt,
            json,
            signature_valid,
        })
    }

    /// Every credential of the member, each with its VC-JWT.
    pub async fn my_credentials(&self, viewer: &Viewer) -> AppResult<Vec<CredentialView>> {
        let mut credentials = Vec::new();
        for row in store::awards_of(self.db(), viewer.id).await? {
            credentials.push(self.credential(&row.credential_key).await?);
        }
        Ok(credentials)
    }

    /// The issuer's Open Badges profile, with its public key.
    pub async fn issuer_profile(&self) -> AppResult<Value> {
        Ok(issuer_profile(&self.issuer(), &self.issuer_key().await?))
    }

    pub async fn issuer_jwks(&self) -> AppResult<Value> {
        Ok(jwks(&self.issuer_key().await?))
    }

    /// Status list `list` (from 1) as a signed VC-JWT: the bits of revoked awards.
    pub async fn status_list(&self, list: i64) -> AppResult<String> {
        if !(1..=1_000_000).contains(&list) {
            return Err(AppError::NotFound);
        }
        let first = (list - 1) * LIST_SIZE;
        let mut bits = StatusList::new();
        for id in store::revoked_between(self.db(), first, first + LIST_SIZE).await? {
            let (_, index) = status_of(id);
            bits.set(index as usize, true)
                .map_err(|e| AppError::Internal(format!("status list: {e}")))?;
        }
        let now = clock::now();
        let credential = status_list_credential(
            &self.issuer(),
            &self.public(&format!("/credentials/status/{list}")),
            &bits,
            now,
            Some(now + Duration::hours(LIST_VALID_HOURS)),
        );
        self.sign(&credential).await
    }
}

#[cfg(test)]
mod tests {
    use super::{LIST_SIZE, status_of};

    #[test]
    fn awards_fill_lists_in_order() {
        assert_eq!(status_of(1), (1, 1));
        assert_eq!(
            status_of(LIST_SIZE - 1),
            (1, u32::try_from(LIST_SIZE - 1).unwrap())
        );
        assert_eq!(status_of(LIST_SIZE), (2, 0));
    }
}
