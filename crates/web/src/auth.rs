//! Who is asking, enforced by type. A handler that takes [`Admin`] cannot run for anyone else:
//! the extractor refuses first (401 or a redirect to sign in; 403 without the role).
//!
//! Programs authenticate with `Authorization: Bearer gh_…` (a personal access token); people with
//! the session cookie. A read-only token cannot change anything.

use crate::WebState;
use crate::error::reject;
use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::people::Viewer;
use guildhall_domain::people::Role;
use std::marker::PhantomData;
use std::net::SocketAddr;

/// The viewer of this request, looked up once and kept in the request's extensions.
#[derive(Clone)]
pub struct CurrentViewer(pub Option<Viewer>);

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Whether the request is for the JSON API. Inside the nested API router the URI has lost its
/// `/api/v1` prefix, so the original URI decides.
pub fn is_api_request(extensions: &Extensions, uri: &Uri) -> bool {
    extensions
        .get::<OriginalUri>()
        .map_or(uri.path(), |original| original.0.path())
        .starts_with("/api/")
}

pub fn is_api(parts: &Parts) -> bool {
    is_api_request(&parts.extensions, &parts.uri)
}

/// Why a request may not go on.
pub enum AuthRejection {
    SignInRequired {
        api: bool,
        next: String,
    },
    InvalidToken,
    ReadOnlyToken,
    RoleRequired {
        api: bool,
        role: Role,
    },
    /// The person holds the role, but it works only after a second factor.
    SecondFactorRequired {
        api: bool,
        role: Role,
    },
    Internal {
        api: bool,
    },
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::SignInRequired { api: true, .. } => reject(
                true,
                StatusCode::UNAUTHORIZED,
                "sign_in_required",
                "Sign in or send a valid API token.",
            ),
            AuthRejection::SignInRequired { api: false, next } => {
                let target = if next == "/" || !next.starts_with('/') || next.starts_with("//") {
                    "/signin".to_owned()
                } else {
                    format!(
                        "/signin?next={}",
                        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                    )
                };
                Redirect::to(&target).into_response()
            }
            AuthRejection::InvalidToken => reject(
                true,
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "This API token is not valid or was revoked.",
            ),
            AuthRejection::ReadOnlyToken => reject(
                true,
                StatusCode::FORBIDDEN,
                "insufficient_scope",
                "This API token can only read; create one with the write scope.",
            ),
            AuthRejection::RoleRequired { api, role } => reject(
                api,
                StatusCode::FORBIDDEN,
                "role_required",
                &format!("This needs the {} role.", role.label()),
            ),
            AuthRejection::SecondFactorRequired { api, role } => reject(
                api,
                StatusCode::FORBIDDEN,
                "second_factor_required",
                &format!(
                    "Your {} role works once you sign in with two-factor authentication: set it up at /me/2fa.",
                    role.label()
                ),
            ),
            AuthRejection::Internal { api } => reject(
                api,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Something went wrong on our side. Please try again.",
            ),
        }
    }
}

impl FromRequestParts<WebState> for CurrentViewer {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(known) = parts.extensions.get::<CurrentViewer>() {
            return Ok(known.clone());
        }
        let api = is_api(parts);
        let lookup = if let Some(token) = bearer_token(&parts.headers) {
            match state.app.viewer_for_api_token(token).await {
                Ok(None) => return Err(AuthRejection::InvalidToken),
                other => other,
            }
        } else if let Some(token) = cookie(&parts.headers, state.config.session_cookie) {
            state.app.viewer_for_session(token).await
        } else {
            Ok(None)
        };
        let viewer = lookup.map_err(|error| {
            tracing::error!(%error, "could not look up the viewer");
            AuthRejection::Internal { api }
        })?;
        let current = CurrentViewer(viewer);
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// Any signed-in person. Unsafe methods need a token with the write scope.
pub struct Member(pub Viewer);

impl FromRequestParts<WebState> for Member {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentViewer(viewer) = CurrentViewer::from_request_parts(parts, state).await?;
        let Some(viewer) = viewer else {
            return Err(AuthRejection::SignInRequired {
                api: is_api(parts),
                next: parts.uri.path().to_owned(),
            });
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && !viewer.can_write() {
            return Err(AuthRejection::ReadOnlyToken);
        }
        Ok(Member(viewer))
    }
}

/// A role that a handler can demand by type.
pub trait RoleMarker {
    const ROLE: Role;
}

/// A signed-in person holding the role `R`.
pub struct Has<R: RoleMarker>(pub Viewer, PhantomData<R>);

impl<R: RoleMarker> FromRequestParts<WebState> for Has<R> {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let Member(viewer) = Member::from_request_parts(parts, state).await?;
        if viewer.has(R::ROLE) {
            Ok(Has(viewer, PhantomData))
        } else if viewer.dormant_roles.contains(R::ROLE) {
            Err(AuthRejection::SecondFactorRequired {
                api: is_api(parts),
                role: R::ROLE,
            })
        } else {
            Err(AuthRejection::RoleRequired {
                api: is_api(parts),
                role: R::ROLE,
            })
        }
    }
}

macro_rules! role_extractor {
    ($marker:ident, $alias:ident, $role:expr) => {
        pub struct $marker;
        impl RoleMarker for $marker {
            const ROLE: Role = $role;
        }
        pub type $alias = Has<$marker>;
    };
}

role_extractor!(AdminRole, Admin, Role::Admin);
role_extractor!(HrRole, Hr, Role::Hr);
role_extractor!(ModeratorRole, Moderator, Role::Moderator);
role_extractor!(FacilitatorRole, Facilitator, Role::Facilitator);
role_extractor!(CoachRole, Coach, Role::Coach);

/// Where a request comes from, for the session list and rate limits.
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "unknown".to_owned(),
                |ConnectInfo(addr)| addr.ip().to_string(),
            );
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("unknown")
            .chars()
            .take(300)
            .collect();
        Ok(ClientInfo { ip, user_agent })
    }
}

/// The session token of this request, when it is authenticated by cookie.
pub fn session_token<'a>(headers: &'a HeaderMap, state: &WebState) -> Option<&'a str> {
    cookie(headers, state.config.session_cookie)
}
