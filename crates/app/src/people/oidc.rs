//! Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), `state` and
//! `nonce` kept in a single-use row bound to the browser, the ID token checked against the
//! provider's JWKS (signature, `iss`, `aud`, `exp`, `nonce`), userinfo for missing claims, and
//! accounts keyed on (issuer, subject).

use super::Viewer;
use super::sessions::SignInStep;
use crate::outbox::record_audit;
use crate::secrets::{hash_token, new_token};
use crate::settings::{OidcPreset, OidcProvider};
use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::moderation::Action;
use guildhall_domain::people::profile::display_name;
use guildhall_domain::people::{PersonName, parse_email, parse_person_name};
use guildhall_store::identities::{self as store, NewIdentity, NewLogin};
use guildhall_store::people::{self as people_store, NewUser};
use guildhall_store::profiles as profiles_store;
use guildhall_store::{StoreError, Tx};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use subtle::ConstantTimeEq;

/// How long a provider's discovery document and keys are used before being fetched again. A
/// token signed by a key we have not seen makes us fetch them at once (keys rotate).
const METADATA_TTL: std::time::Duration = std::time::Duration::from_secs(600);

type SsoClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Discovery documents with their key sets, per provider id: without it every sign-in would
/// fetch both twice (leaving and coming back).
#[derive(Default)]
pub struct SsoMetadataCache {
    entries: Mutex<HashMap<String, (CoreProviderMetadata, Instant)>>,
}

impl SsoMetadataCache {
    fn get(&self, provider_id: &str) -> Option<CoreProviderMetadata> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(provider_id)
            .filter(|(_, at)| at.elapsed() < METADATA_TTL)
            .map(|(metadata, _)| metadata.clone())
    }

    fn put(&self, provider_id: &str, metadata: CoreProviderMetadata) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(provider_id.to_owned(), (metadata, Instant::now()));
    }
}

/// Long enough to type a password at the provider, short enough that a stolen state is stale.
const LOGIN_TTL: Duration = Duration::minutes(10);
/// Providers answer in well under a second; a hung one must not hold the sign-in page.
const HTTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
const BROWSER_TOKEN_PREFIX: &str = "gho_";

/// A button on the sign-in page.
#[derive(Debug, Clone, Serialize)]
pub struct SsoButton {
    pub id: String,
    pub label: String,
    pub icon: String,
}

/// Where to send the browser, and the secret that binds this sign-in to it (a cookie).
#[derive(Debug)]
pub struct SsoStart {
    pub authorize_url: String,
    pub browser_token: String,
}

/// What the provider sends back to the callback address.
#[derive(Debug, Clone, Default)]
pub struct SsoCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A finished sign-in (or one waiting for the person's second factor) and the local page the
/// person was heading for.
#[derive(Debug)]
pub struct SsoSignedIn {
    pub step: SignInStep,
    pub next: String,
}

fn preset_label(preset: OidcPreset) -> &'static str {
    match preset {
        OidcPreset::Google => "Sign in with Google",
        OidcPreset::Microsoft => "Sign in with Microsoft",
        OidcPreset::Okta => "Sign in with Okta",
        OidcPreset::Keycloak => "Sign in with Keycloak",
        OidcPreset::Generic => "Sign in with your organisation",
    }
}

fn preset_icon(preset: OidcPreset) -> &'static str {
    match preset {
        OidcPreset::Google => "google",
        OidcPreset::Microsoft => "microsoft",
        OidcPreset::Okta => "okta",
        OidcPreset::Keycloak => "keycloak",
        OidcPreset::Generic => "key",
    }
}

/// Every preset asks for the same standard scopes today; kept per preset because providers
/// differ (e.g. `offline_access`) and the next one will need it.
fn preset_scopes(_preset: OidcPreset) -> &'static [&'static str] {
    &["email", "profile"]
}

fn label_of(provider: &OidcProvider) -> String {
    if provider.label.trim().is_empty() {
        preset_label(provider.preset).to_owned()
    } else {
        provider.label.clone()
    }
}

fn issuer_of(provider: &OidcProvider) -> AppResult<String> {
    // Kept exactly as configured: discovery compares it byte for byte with the provider's
    // `issuer`, and some providers (Auth0) end theirs with a slash.
    let issuer = provider.issuer.trim();
    if !issuer.is_empty() {
        return Ok(issuer.to_owned());
    }
    match provider.preset {
        OidcPreset::Google => Ok("https://accounts.google.com".to_owned()),
        _ => Err(AppError::Internal(format!(
            "auth.oidc provider {:?} has no issuer",
            provider.id
        ))),
    }
}

/// The secret from its file when one is named (re-read each time, so a rotated secret works
/// without a restart), else from the settings; none for public clients.
async fn client_secret(provider: &OidcProvider) -> AppResult<Option<String>> {
    let secret = if provider.client_secret_file.is_empty() {
        provider.client_secret.expose().to_owned()
    } else {
        tokio::fs::read_to_string(&provider.client_secret_file)
            .await
            .map_err(|e| {
                AppError::Internal(format!(
                    "auth.oidc {:?}: reading client_secret_file: {e}",
                    provider.id
                ))
            })?
            .trim_end_matches(['\n', '\r'])
            .to_owned()
    };
    Ok(Some(secret).filter(|s| !s.is_empty()))
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::forbidden("sso_refused", message)
}

fn unreachable(label: &str) -> AppError {
    AppError::forbidden(
        "sso_provider_unreachable",
        format!(
            "{label} cannot be reached right now, so you were not signed in. Please try again later."
        ),
    )
}

/// Answers larger than this are not a discovery document, key set or token.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
enum HttpError {
    #[error(transparent)]
    Request(#[from] hyper_util::client::legacy::Error),
    #[error(transparent)]
    Body(#[from] hyper::Error),
    #[error(transparent)]
    Http(#[from] openidconnect::http::Error),
    #[error("no answer within {0:?}")]
    Timeout(std::time::Duration),
    #[error("the answer is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
}

type HyperClient = crate::http::Client;

/// Our HTTP client for openidconnect. A named type with a boxed `Send` future rather than a
/// closure: with a closure the compiler cannot prove the handlers' futures `Send` for every
/// lifetime, and axum needs them to be. The legacy hyper client follows no redirects, so a
/// provider's answer cannot point us at internal addresses.
#[derive(Clone)]
struct Http(HyperClient);

type HttpFuture<'c> = std::pin::Pin<
    Box<dyn Future<Output = Result<openidconnect::HttpResponse, HttpError>> + Send + 'c>,
>;

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = HttpFuture<'c>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(send(&self.0, request))
    }
}

async fn send(
    client: &HyperClient,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpError> {
    use http_body_util::BodyExt;
    let (parts, body) = request.into_parts();
    let request = openidconnect::http::Request::from_parts(
        parts,
        http_body_util::Full::new(bytes::Bytes::from(body)),
    );
    let exchange = async {
        let response = client.request(request).await?;
        let (parts, body) = response.into_parts();
        let body = http_body_util::Limited::new(body, MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(|error| match error.downcast::<hyper::Error>() {
                Ok(error) => HttpError::Body(*error),
                Err(_) => HttpError::TooLarge,
            })?
            .to_bytes();
        Ok::<_, HttpError>(openidconnect::http::Response::from_parts(
            parts,
            body.to_vec(),
        ))
    };
    tokio::time::timeout(HTTP_TIMEOUT, exchange)
        .await
        .map_err(|_| HttpError::Timeout(HTTP_TIMEOUT))?
}

fn http_client() -> AppResult<Http> {
    crate::http::client().map(Http)
}

/// A configured provider, ready to talk to.
struct Provider<'a> {
    config: &'a OidcProvider,
    label: String,
    issuer: String,
}

/// The name from the claims: `given_name`/`family_name`, else `name` split at its last space.
fn name_from_claims(
    given: Option<&str>,
    family: Option<&str>,
    full: Option<&str>,
) -> Option<(String, String)> {
    let given = given.map(str::trim).filter(|s| !s.is_empty());
    let family = family.map(str::trim).filter(|s| !s.is_empty());
    if let (Some(given), Some(family)) = (given, family) {
        return Some((given.to_owned(), family.to_owned()));
    }
    let full = full.map(str::trim).filter(|s| !s.is_empty())?;
    let (given, family) = full.rsplit_once(char::is_whitespace)?;
    Some((given.trim().to_owned(), family.trim().to_owned()))
}

/// An identity provider account linked to the person's own, as their account page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedSignIn {
    pub id: i64,
    /// The configured provider's button label, or the issuer when it is no longer configured.
    pub provider: String,
    pub email: Option<String>,
    pub linked_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
}

/// A name the provider changed, as it will be written.
struct NewName {
    name: PersonName,
    preferred_given_name: String,
    display_name: String,
}

/// Writes the provider's new name, into the name history, search and the audit log.
async fn take_provider_name(
    tx: &mut Tx,
    provider: &Provider<'_>,
    claims: &Claims,
    user_id: i64,
    new: &NewName,
) -> AppResult<()> {
    let now = clock::now();
    profiles_store::rename(
        tx,
        &profiles_store::Rename {
            user_id,
            given_name: &new.name.given_name,
            family_name: &new.name.family_name,
            preferred_given_name: &new.preferred_given_name,
            display_name: &new.display_name,
            source: "idp",
            changed_by: None,
            reason: &format!("Changed at {}", provider.label),
            at: now,
        },
    )
    .await?;
    super::index_person(tx, user_id, &new.display_name, now).await?;
    record_audit(
        tx,
        Some(user_id),
        "name.changed",
        &format!("user:{user_id}"),
        json!({ "to": new.display_name, "source": "idp", "issuer": claims.issuer }),
    )
    .await?;
    Ok(())
}

/// What we learnt about the person from the ID token and userinfo.
#[derive(Debug, Default)]
struct Claims {
    issuer: String,
    subject: String,
    email: Option<String>,
    email_verified: bool,
    given_name: Option<String>,
    family_name: Option<String>,
    name: Option<String>,
}

impl Claims {
    fn from_id_token(claims: &CoreIdTokenClaims) -> Claims {
        Claims {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified().unwrap_or(false),
            given_name: claims
                .given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            family_name: claims
                .family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
        }
    }

    fn lacks_something(&self) -> bool {
        self.email.is_none()
            || (self.name.is_none() && (self.given_name.is_none() || self.family_name.is_none()))
    }

    /// Fills what the ID token lacked; the token's own claims win.
    fn add_userinfo(&mut self, info: &CoreUserInfoClaims) {
        if self.email.is_none() {
            self.email = info.email().map(|e| e.as_str().to_owned());
            self.email_verified = info.email_verified().unwrap_or(false);
        }
        if self.given_name.is_none() {
            self.given_name = info
                .given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
        }
        if self.family_name.is_none() {
            self.family_name = info
                .family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
        }
        if self.name.is_none() {
            self.name = info
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
        }
    }
}

impl App {
    /// The provider buttons for the sign-in page, in the order of the settings.
    pub fn sso_buttons(&self) -> Vec<SsoButton> {
        self.settings()
            .auth
            .oidc
            .iter()
            .map(|p| SsoButton {
                id: p.id.clone(),
                label: label_of(p),
                icon: if p.icon.trim().is_empty() {
                    preset_icon(p.preset).to_owned()
                } else {
                    p.icon.trim().to_owned()
                },
            })
            .collect()
    }

    fn sso_provider(&self, id: &str) -> AppResult<Provider<'_>> {
        let config = self
            .settings()
            .auth
            .oidc
            .iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(Provider {
            config,
            label: label_of(config),
            issuer: issuer_of(config)?,
        })
    }

    fn sso_callback_url(&self, id: &str) -> String {
        format!(
            "{}/auth/oidc/{id}/callback",
            self.settings().server.public_url.trim_end_matches('/')
        )
    }

    /// Discovery plus JWKS (remembered for [`METADATA_TTL`] unless `fresh`), then a client for
    /// this provider with our callback address. Also says whether the metadata was remembered.
    async fn sso_client(
        &self,
        provider: &Provider<'_>,
        http: &Http,
        fresh: bool,
    ) -> AppResult<(SsoClient, bool)> {
        let remembered = if fresh {
            None
        } else {
            self.inner.sso_metadata.get(&provider.config.id)
        };
        let from_cache = remembered.is_some();
        let metadata = match remembered {
            Some(metadata) => metadata,
            None => {
                let issuer = IssuerUrl::new(provider.issuer.clone())
                    .map_err(|e| AppError::Internal(format!("issuer URL: {e}")))?;
                let metadata = CoreProviderMetadata::discover_async(issuer, http)
                    .await
                    .map_err(|error| {
                        tracing::warn!(provider = %provider.config.id, %error, "OpenID discovery failed");
                        unreachable(&provider.label)
                    })?;
                self.inner
                    .sso_metadata
                    .put(&provider.config.id, metadata.clone());
                metadata
            }
        };
        let secret = client_secret(provider.config).await?.map(ClientSecret::new);
        let redirect = RedirectUrl::new(self.sso_callback_url(&provider.config.id))
            .map_err(|e| AppError::Internal(format!("callback URL: {e}")))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(redirect);
        Ok((client, from_cache))
    }

    /// Leaves for the provider: PKCE, state and nonce are made here and kept in a row that only
    /// this browser (holding `browser_token` in a cookie) can use, once.
    pub async fn sso_start(&self, provider_id: &str, next: &str) -> AppResult<SsoStart> {
        let provider = self.sso_provider(provider_id)?;
        let http = http_client()?;
        let (client, _) = self.sso_client(&provider, &http, false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in preset_scopes(provider.config.preset) {
            request = request.add_scope(Scope::new((*scope).to_owned()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let browser_token = new_token(BROWSER_TOKEN_PREFIX)?;
        let now = clock::now();
        store::insert_login(
            self.db(),
            &NewLogin {
                state_hash: &hash_token(state.secret()),
                browser_hash: &hash_token(&browser_token),
                provider: &provider.config.id,
                nonce: nonce.secret(),
                pkce_verifier: verifier.secret(),
                next_path: next,
                now,
                expires_at: now + LOGIN_TTL,
            },
        )
        .await?;
        Ok(SsoStart {
            authorize_url: url.to_string(),
            browser_token,
        })
    }

    /// Back from the provider: checks everything, then signs the person in (creating or linking
    /// the account on first sign-in).
    pub async fn sso_finish(
        &self,
        provider_id: &str,
        callback: &SsoCallback,
        browser_token: Option<&str>,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<SsoSignedIn> {
        let provider = self.sso_provider(provider_id)?;
        let start_again = "This sign-in has expired or was already used. Please start again.";
        let state = callback
            .state
            .as_deref()
            .ok_or_else(|| refused(start_again))?;
        // Taken (deleted) before anything else: a replayed state finds nothing.
        let login = store::take_login(self.db(), &hash_token(state))
            .await?
            .ok_or_else(|| refused(start_again))?;
        let same_browser = browser_token.is_some_and(|token| {
            bool::from(
                hash_token(token)
                    .as_bytes()
                    .ct_eq(login.browser_hash.as_bytes()),
            )
        });
        if !same_browser || login.provider != provider.config.id {
            return Err(refused(
                "This sign-in was started in another browser. Please start again here.",
            ));
        }
        if login.expires_at < clock::now() {
            return Err(refused(start_again));
        }
        if let Some(error) = &callback.error {
            let detail: String = callback
                .error_description
                .as_deref()
                .unwrap_or(error)
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            return Err(refused(format!(
                "{} did not sign you in: {detail}",
                provider.label
            )));
        }
        let code = callback
            .code
            .as_deref()
            .ok_or_else(|| refused(start_again))?;

        let http = http_client()?;
        let (client, from_cache) = self.sso_client(&provider, &http, false).await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| AppError::Internal(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
            .request_async(&http)
            .await
            .map_err(|error| {
                tracing::warn!(provider = %provider.config.id, %error, "OpenID token exchange failed");
                match error {
                    openidconnect::RequestTokenError::Request(_) => unreachable(&provider.label),
                    _ => refused(format!(
                        "{} refused to complete the sign-in. Please start again.",
                        provider.label
                    )),
                }
            })?;
        let id_token = token.id_token().ok_or_else(|| {
            refused(format!(
                "{} sent no identity token, so you were not signed in.",
                provider.label
            ))
        })?;
        let nonce = Nonce::new(login.nonce.clone());
        let token_refused = |error: &dyn std::fmt::Display| {
            tracing::warn!(provider = %provider.config.id, %error, "ID token refused");
            refused(format!(
                "Sign-in refused: the identity token from {} did not pass the checks ({error}).",
                provider.label
            ))
        };
        // Remembered keys may have been rotated since: one fresh look before refusing.
        let mut client = client;
        let first_look = {
            let verifier = client.id_token_verifier();
            id_token.claims(&verifier, &nonce)
        };
        let id_claims = match first_look {
            Ok(claims) => claims,
            Err(_) if from_cache => {
                client = self.sso_client(&provider, &http, true).await?.0;
                let verifier = client.id_token_verifier();
                id_token
                    .claims(&verifier, &nonce)
                    .map_err(|error| token_refused(&error))?
            }
            Err(error) => return Err(token_refused(&error)),
        };
        // at_hash, when present, binds the access token (used for userinfo) to this ID token.
        if let Some(expected) = id_claims.access_token_hash() {
            let verifier = client.id_token_verifier();
            let actual = id_token
                .signing_alg()
                .map_err(|error| token_refused(&error))
                .and_then(|alg| {
                    let key = id_token
                        .signing_key(&verifier)
                        .map_err(|error| token_refused(&error))?;
                    AccessTokenHash::from_token(token.access_token(), alg, key)
                        .map_err(|error| token_refused(&error))
                })?;
            if actual != *expected {
                return Err(token_refused(&"at_hash does not match the access token"));
            }
        }
        // An empty audience list names nobody; refuse it whatever the library thinks.
        if id_claims.audiences().is_empty() {
            return Err(refused(format!(
                "Sign-in refused: the identity token from {} names no audience.",
                provider.label
            )));
        }
        let mut claims = Claims::from_id_token(id_claims);
        // Without a userinfo endpoint `user_info` errs, and what the token has must do.
        if claims.lacks_something()
            && let Ok(request) = client.user_info(
                token.access_token().clone(),
                Some(id_claims.subject().clone()),
            )
        {
            match request.request_async(&http).await {
                Ok(info) => claims.add_userinfo(&info),
                Err(error) => {
                    tracing::warn!(provider = %provider.config.id, %error, "userinfo failed");
                }
            }
        }
        let user_id = self.sso_account(&provider, &claims).await?;
        // The provider stands in for the password only: a second factor is still asked for.
        let step = self
            .session_or_second_factor(user_id, ip, user_agent)
            .await?;
        Ok(SsoSignedIn {
            step,
            next: login.next_path,
        })
    }

    /// The account for verified claims: the linked one, a linked existing one (verified email,
    /// when the provider allows), or a new member.
    async fn sso_account(&self, provider: &Provider<'_>, claims: &Claims) -> AppResult<i64> {
        let email = claims.email.as_deref().map(parse_email).transpose();
        let now = clock::now();
        if let Some(identity) = store::identity(self.db(), &claims.issuer, &claims.subject).await? {
            self.check_active(identity.user_id, &identity.status)
                .await?;
            let new_name = self
                .sso_changed_name(provider, claims, identity.user_id)
                .await?;
            let mut tx = self.db().begin().await?;
            let email = email.ok().flatten();
            store::touch_identity(
                &mut tx,
                identity.id,
                email.as_ref().map(|e| e.as_str()),
                now,
            )
            .await?;
            if let Some(name) = new_name {
                take_provider_name(&mut tx, provider, claims, identity.user_id, &name).await?;
            }
            tx.commit().await?;
            self.inner.viewers.forget_person(identity.user_id);
            return Ok(identity.user_id);
        }
        let email = email.ok().flatten().ok_or_else(|| {
            refused(format!(
                "{} did not share a usable email address, so no account could be made.",
                provider.label
            ))
        })?;
        if let Some(existing) = people_store::user_by_email(self.db(), email.as_str()).await? {
            if !(provider.config.link_by_verified_email && claims.email_verified) {
                return Err(refused(format!(
                    "An account with {} already exists. Sign in with your password; an administrator can allow linking accounts from {}.",
                    email.as_str(),
                    provider.label
                )));
            }
            self.check_active(existing.id, &existing.status).await?;
            let mut tx = self.db().begin().await?;
            self.link_identity(
                &mut tx,
                existing.id,
                claims,
                Some(email.as_str()),
                "identity.linked_by_email",
            )
            .await?;
            tx.commit().await?;
            return Ok(existing.id);
        }
        let name = self.sso_name(provider, claims).await?;
        let policy = self.signup_policy().await?;
        policy
            .admits(&email, false)
            .map_err(|refusal| AppError::forbidden("signup_closed", refusal.message()))?;

        let mut tx = self.db().begin().await?;
        let display_name = name.display_name();
        let user_id = people_store::insert_user(
            &mut tx,
            &NewUser {
                email: email.as_str(),
                given_name: &name.given_name,
                family_name: &name.family_name,
                display_name: &display_name,
                password_hash: None,
                now,
            },
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict => refused("An account with this email address already exists."),
            other => other.into(),
        })?;
        people_store::replace_roles(&mut tx, user_id, &[], None, now).await?;
        store::mark_name_from_idp(&mut tx, user_id).await?;
        super::index_person(&mut tx, user_id, &display_name, now).await?;
        self.link_identity(
            &mut tx,
            user_id,
            claims,
            Some(email.as_str()),
            "account.signed_up_sso",
        )
        .await?;
        tx.commit().await?;
        Ok(user_id)
    }

    async fn link_identity(
        &self,
        tx: &mut Tx,
        user_id: i64,
        claims: &Claims,
        email: Option<&str>,
        action: &str,
    ) -> AppResult<()> {
        store::insert_identity(
            tx,
            &NewIdentity {
                issuer: &claims.issuer,
                subject: &claims.subject,
                user_id,
                email,
                now: clock::now(),
            },
        )
        .await
        .map_err(|error| match error {
            // Two callbacks for the same new person at once: the other one won.
            StoreError::Conflict => {
                refused("This sign-in is already being completed. Please try again.")
            }
            other => other.into(),
        })?;
        record_audit(
            tx,
            Some(user_id),
            action,
            &format!("user:{user_id}"),
            json!({ "issuer": claims.issuer }),
        )
        .await?;
        Ok(())
    }

    /// The professional name in the claims, once it passed the name rules and the content check.
    async fn sso_name(&self, provider: &Provider<'_>, claims: &Claims) -> AppResult<PersonName> {
        let (given, family) = name_from_claims(
            claims.given_name.as_deref(),
            claims.family_name.as_deref(),
            claims.name.as_deref(),
        )
        .ok_or_else(|| {
            refused(format!(
                "{} did not share your full name, so no account could be made.",
                provider.label
            ))
        })?;
        let name = parse_person_name(&given, &family).map_err(|problems| {
            let detail = problems
                .into_iter()
                .map(|(_, message)| message)
                .collect::<Vec<_>>()
                .join(" ");
            refused(format!(
                "The name {} shared cannot be used here: {detail}",
                provider.label
            ))
        })?;
        self.sso_check_name(&name).await?;
        Ok(name)
    }

    /// A name that came from the identity provider follows it: a change there (marriage, a
    /// corrected spelling) arrives with the next sign-in. Names from the directory or approved
    /// requests are left alone, and an unusable name at the provider keeps the one we have
    /// rather than refusing the sign-in.
    async fn sso_changed_name(
        &self,
        provider: &Provider<'_>,
        claims: &Claims,
        user_id: i64,
    ) -> AppResult<Option<NewName>> {
        let Some(current) = profiles_store::profile(self.db(), user_id).await? else {
            return Ok(None);
        };
        if current.name_source != "idp" {
            return Ok(None);
        }
        let name = match self.sso_name(provider, claims).await {
            Ok(name) => name,
            Err(error) => {
                tracing::warn!(provider = %provider.config.id, %error, "name at the provider not taken");
                return Ok(None);
            }
        };
        if name.given_name == current.given_name && name.family_name == current.family_name {
            return Ok(None);
        }
        Ok(Some(NewName {
            display_name: display_name(
                &name.given_name,
                &current.preferred_given_name,
                &name.family_name,
            ),
            name,
            preferred_given_name: current.preferred_given_name,
        }))
    }

    /// The identity provider accounts that sign this person in.
    pub async fn linked_sign_ins(&self, viewer: &Viewer) -> AppResult<Vec<LinkedSignIn>> {
        let providers = &self.settings().auth.oidc;
        Ok(store::identities_of(self.db(), viewer.id)
            .await?
            .into_iter()
            .map(|row| LinkedSignIn {
                provider: providers
                    .iter()
                    .find(|p| issuer_of(p).is_ok_and(|issuer| issuer == row.issuer))
                    .map(|p| {
                        let label = label_of(p);
                        label
                            .strip_prefix("Sign in with ")
                            .map(str::to_owned)
                            .unwrap_or(label)
                    })
                    .unwrap_or_else(|| row.issuer.clone()),
                id: row.id,
                email: row.email,
                linked_at: row.created_at,
                last_used_at: row.last_sign_in_at,
            })
            .collect())
    }

    /// Unlinks one of the person's provider accounts, unless it is their last way in.
    pub async fn unlink_sign_in(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        let linked = store::identities_of(self.db(), viewer.id).await?;
        let Some(identity) = linked.iter().find(|row| row.id == id) else {
            return Err(AppError::NotFound);
        };
        let mut tx = self.db().begin().await?;
        if !store::unlink_identity(&mut tx, viewer.id, id).await? {
            return Err(AppError::Conflict {
                code: "last_sign_in_method",
                message: "This is your only way to sign in, so it stays linked.".into(),
            });
        }
        record_audit(
            &mut tx,
            Some(viewer.id),
            "identity.unlinked",
            &format!("user:{}", viewer.id),
            json!({ "issuer": identity.issuer }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Suspended and banned people stay out, whichever way they sign in.
    async fn check_active(&self, user_id: i64, status: &str) -> AppResult<()> {
        if status == "active" {
            return Ok(());
        }
        if status == "suspended" && self.end_finished_suspension(user_id).await? {
            return Ok(());
        }
        Err(self.locked_out(user_id, status).await?)
    }

    /// Names from a provider pass the same content check as typed ones.
    async fn sso_check_name(&self, name: &PersonName) -> AppResult<()> {
        let verdict = self.content_check().await?.check(&name.display_name());
        if verdict.action == Action::Allow {
            Ok(())
        } else {
            Err(refused(
                "The name from your identity provider cannot be used here: please ask an administrator.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_parts_or_the_full_name() {
        assert_eq!(
            name_from_claims(Some("Grace"), Some("Hopper"), Some("ignored")),
            Some(("Grace".into(), "Hopper".into()))
        );
        assert_eq!(
            name_from_claims(None, None, Some("Mary Ann Evans")),
            Some(("Mary Ann".into(), "Evans".into()))
        );
        assert_eq!(name_from_claims(Some("Cher"), None, Some("Cher")), None);
    }
}
