//! What every page needs: the CSRF token for its forms, who is signed in, and the first-run gate.

use crate::WebState;
use crate::auth::{AuthRejection, CurrentViewer};
use crate::csrf::CsrfToken;
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use guildhall_domain::people::Role;

/// The navigation's view of the signed-in person.
#[derive(Clone)]
pub struct NavViewer {
    pub display_name: String,
    pub is_admin: bool,
    pub is_moderator: bool,
    pub is_facilitator: bool,
    pub is_hr: bool,
    /// Holds administrator or HR roles that wait for a second factor.
    pub second_factor_missing: bool,
    /// Unread notifications, shown beside the link and kept current by the live stream.
    pub unread: i64,
}

#[derive(Clone)]
pub struct PageCtx {
    pub csrf: String,
    pub viewer: Option<NavViewer>,
}

impl PageCtx {
    pub fn anonymous() -> PageCtx {
        PageCtx {
            csrf: String::new(),
            viewer: None,
        }
    }
}

impl FromRequestParts<WebState> for PageCtx {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentViewer(viewer) = CurrentViewer::from_request_parts(parts, state).await?;
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let nav = match viewer {
            Some(v) => {
                let unread = state.app.unread_notifications(&v).await.map_err(|error| {
                    tracing::error!(%error, "could not count notifications");
                    AuthRejection::Internal { api: false }
                })?;
                Some(NavViewer {
                    is_admin: v.has(Role::Admin),
                    is_moderator: v.has(Role::Moderator),
                    is_facilitator: v.has(Role::Facilitator),
                    is_hr: v.has(Role::Hr),
                    second_factor_missing: v.dormant_roles != Default::default(),
                    display_name: v.display_name,
                    unread,
                })
            }
            None => None,
        };
        Ok(PageCtx { csrf, viewer: nav })
    }
}

/// Renders a template; a template failure is logged and answered as a plain 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

/// Until the first administrator exists, every page leads to `/setup`.
pub async fn setup_gate(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let exempt = path == "/setup"
        || path.starts_with("/static/")
        || path.starts_with("/api/")
        || path.starts_with("/scim/")
        || path == "/healthz"
        || path == "/readyz";
    if !exempt && matches!(state.app.needs_setup().await, Ok(true)) {
        return Redirect::to("/setup").into_response();
    }
    next.run(request).await
}
