//! The session cookie: `HttpOnly`, `SameSite=Lax` (so links into Guildhall keep you signed in),
//! `Secure` with the `__Host-` prefix when served over TLS.

use crate::WebState;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};

fn build(state: &WebState, value: String, max_age_secs: i64) -> Option<HeaderValue> {
    build_named(state, state.config.session_cookie, value, max_age_secs)
}

fn build_named(
    state: &WebState,
    name: &'static str,
    value: String,
    max_age_secs: i64,
) -> Option<HeaderValue> {
    let cookie = Cookie::build((name, value))
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

/// The cookie that carries a sign-in waiting for its second factor (ten minutes).
pub fn pending_cookie_name(state: &WebState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-gh_pending"
    } else {
        "gh_pending"
    }
}

/// Redirects to the code form, remembering the pending sign-in in its own cookie.
pub fn second_factor_redirect(state: &WebState, pending: String, next: &str) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    let mut response = Redirect::to(&format!("/signin/code?{query}")).into_response();
    if let Some(value) = build_named(state, pending_cookie_name(state), pending, 600) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Redirects with a new session cookie, dropping the pending sign-in cookie.
pub fn completed_sign_in_redirect(state: &WebState, token: String, to: &str) -> Response {
    let mut response = signed_in_redirect(state, token, to);
    if let Some(value) = build_named(state, pending_cookie_name(state), String::new(), 0) {
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
