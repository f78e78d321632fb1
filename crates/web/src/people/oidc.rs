//! Single sign-on pages: leaving for an OpenID provider and coming back. The sign-in in flight is
//! bound to this browser by a short-lived `HttpOnly` cookie; `SameSite=Lax` because the provider
//! sends the person back with a top-level GET from its own site.

use super::cookies::{safe_next, second_factor_redirect, signed_in_redirect};
use super::pages::sign_in_refused;
use crate::WebState;
use crate::auth::{ClientInfo, cookie};
use crate::error::{PageError, status_of};
use crate::forms::QueryParams;
use crate::page::PageCtx;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use guildhall_app::AppError;
use guildhall_app::people::{SignInStep, SsoCallback};
use serde::Deserialize;

/// Ten minutes, like the sign-in row it points to.
const COOKIE_MAX_AGE_SECS: i64 = 600;

fn cookie_name(state: &WebState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-gh_sso"
    } else {
        "gh_sso"
    }
}

fn sso_cookie(state: &WebState, value: String, max_age_secs: i64) -> Option<HeaderValue> {
    let cookie = Cookie::build((cookie_name(state), value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
}

/// A refusal goes back to the sign-in page with the reason; anything unexpected is a 500.
async fn refused_page(
    state: &WebState,
    ctx: PageCtx,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Internal(_) => Err(PageError(error)),
        other => {
            let mut response =
                sign_in_refused(state, ctx, status_of(&other), other.public_message()).await?;
            if let Some(value) = sso_cookie(state, String::new(), 0) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
    }
}

pub async fn start(
    State(state): State<WebState>,
    ctx: PageCtx,
    Path(provider): Path<String>,
    QueryParams(query): QueryParams<StartQuery>,
) -> Result<Response, PageError> {
    match state.app.sso_start(&provider, safe_next(&query.next)).await {
        Ok(start) => {
            let mut response = Redirect::to(&start.authorize_url).into_response();
            if let Some(value) = sso_cookie(&state, start.browser_token, COOKIE_MAX_AGE_SECS) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(error) => refused_page(&state, ctx, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    /// Providers may add more (`iss`, `session_state`, `scope`): accepted and ignored.
    #[serde(flatten)]
    _rest: std::collections::HashMap<String, String>,
}

pub async fn callback(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    headers: HeaderMap,
    Path(provider): Path<String>,
    QueryParams(query): QueryParams<CallbackQuery>,
) -> Result<Response, PageError> {
    let callback = SsoCallback {
        code: query.code,
        state: query.state,
        error: query.error,
        error_description: query.error_description,
    };
    let browser_token = cookie(&headers, cookie_name(&state));
    let finished = state
        .app
        .sso_finish(
            &provider,
            &callback,
            browser_token,
            &client.ip,
            &client.user_agent,
        )
        .await;
    let mut response = match finished {
        Ok(done) => match done.step {
            SignInStep::SecondFactor { pending } => {
                second_factor_redirect(&state, pending, safe_next(&done.next))
            }
            SignInStep::SignedIn(signed_in) => {
                let to = if state.app.conduct_pending(signed_in.user_id).await? {
                    "/conduct"
                } else {
                    safe_next(&done.next)
                };
                signed_in_redirect(&state, signed_in.token, to)
            }
        },
        Err(error) => return refused_page(&state, ctx, error).await,
    };
    if let Some(value) = sso_cookie(&state, String::new(), 0) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
