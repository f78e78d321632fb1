//! One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the
//! link in `List-Unsubscribe`, with no cookie and no CSRF token — the signed token in the path
//! is the whole proof. A GET (a person clicking, or a mail scanner) only leads to the web
//! page that asks first.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use guildhall_app::{App, AppError};

pub(super) fn routes() -> Router<App> {
    Router::new().route(
        "/email/unsubscribe/{token}",
        get(ask_first).post(unsubscribe),
    )
}

/// Tokens are `{user}-{list}-{hex}`: anything else never reaches a query string.
fn plausible(token: &str) -> bool {
    token.len() <= 120
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

async fn ask_first(Path(token): Path<String>) -> Response {
    if !plausible(&token) {
        return (StatusCode::NOT_FOUND, "No such unsubscribe link.").into_response();
    }
    Redirect::to(&format!("/email/unsubscribe?token={token}")).into_response()
}

async fn unsubscribe(State(app): State<App>, Path(token): Path<String>, body: Bytes) -> Response {
    if !plausible(&token) {
        return (StatusCode::NOT_FOUND, "No such unsubscribe link.").into_response();
    }
    match app.unsubscribe(&token).await {
        // The confirmation page's button says so; a mail client only needs the status.
        Ok(target) if body.windows(9).any(|w| w == b"from_page") => {
            Redirect::to(&format!("/email/unsubscribed?list={}", target.list)).into_response()
        }
        Ok(target) => (
            StatusCode::OK,
            format!("Unsubscribed: no more {}.", target.label),
        )
            .into_response(),
        Err(AppError::NotFound) => {
            (StatusCode::NOT_FOUND, "No such unsubscribe link.").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "one-click unsubscribe failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.",
            )
                .into_response()
        }
    }
}
