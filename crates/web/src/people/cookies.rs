//! The session cookie: `HttpOnly`, `SameSite=Lax` (so links into Guildhall keep you signed in),
//! `Secure` with the `__Host-` prefix when served over TLS.

use crate::WebState;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};

fn build(state: &WebState, value: String, max_age_secs: i64) -> Option<HeaderValue> {
    let cookie = Cookie::build((state.config.session_cookie, value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

/// Redirects with a new session cookie.
pub fn signed_in_redirect(state: &WebState, token: String, to: &str) -> Response {
    let max_age = state.app.settings().auth.session_days * 24 * 3600;
    let mut response = Redirect::to(to).into_response();
    if let Some(value) = build(state, token, max_age) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Redirects and removes the session cookie.
pub fn signed_out_redirect(state: &WebState, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(value) = build(state, String::new(), 0) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Only local paths are followed after sign-in, so the form cannot send people elsewhere.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if local { next } else { "/" }
}
